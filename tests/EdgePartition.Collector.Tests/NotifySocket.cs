using System.Net.Sockets;
using System.Text;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// A unix datagram socket standing in for systemd's NOTIFY_SOCKET: the process under test sends its sd_notify
/// messages (READY=1, STATUS=..., STOPPING=1) here.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _messages = [];

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgepart-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Receives datagrams until one contains <paramref name="text"/>; throws on timeout.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan timeout)
    {
        foreach (var message in _messages)
        {
            if (message.Contains(text, StringComparison.Ordinal))
            {
                return message;
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, received);
                _messages.Add(message);
                if (message.Contains(text, StringComparison.Ordinal))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no sd_notify message with '{text}' within {timeout.TotalSeconds:0} s; got: {string.Join(" | ", _messages)}");
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
