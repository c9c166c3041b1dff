using System.Net.Sockets;
using System.Text;

namespace EdgePartition.Hosting.Tests;

/// <summary>
/// Plays systemd's side of sd_notify: a real Unix datagram socket (a file in a private temp directory, or an abstract
/// name) whose datagrams the tests read back in order.
/// </summary>
internal sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;
    private readonly byte[] _buffer = new byte[4096];

    private NotifySocketListener(string notifySocket, string? directory, string address)
    {
        NotifySocket = notifySocket;
        _directory = directory;
        _socket.Bind(new UnixDomainSocketEndPoint(address));
    }

    /// <summary>The value systemd would put in NOTIFY_SOCKET.</summary>
    public string NotifySocket { get; }

    public static NotifySocketListener OnPath()
    {
        // Short path: sun_path holds 108 bytes.
        var directory = Directory.CreateTempSubdirectory("epn").FullName;
        var path = Path.Combine(directory, "notify");
        return new NotifySocketListener(path, directory, path);
    }

    public static NotifySocketListener Abstract()
    {
        var name = $"edgepart-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return new NotifySocketListener("@" + name, null, "\0" + name);
    }

    /// <summary>True when a datagram is queued: after the sender exited, everything it sent is.</summary>
    public bool HasPendingDatagram => _socket.Available > 0;

    /// <summary>The next datagram, or null if none came within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await ReceiveAsync(cts.Token);
    }

    /// <summary>The next datagram, or null once <paramref name="giveUp"/> is cancelled.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken giveUp)
    {
        try
        {
            int length = await _socket.ReceiveAsync(_buffer, SocketFlags.None, giveUp);
            return Encoding.UTF8.GetString(_buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Reads datagrams until one contains <paramref name="assignment"/>; returns the ones before it too.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string assignment, TimeSpan? timeout = null)
    {
        var received = new List<string>();
        using var giveUp = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        while (await ReceiveAsync(giveUp.Token) is { } datagram)
        {
            received.Add(datagram);
            if (Assignments(datagram).Contains(assignment))
            {
                return received;
            }
        }

        throw new TimeoutException($"no '{assignment}' from the service; received: [{string.Join(" | ", received)}]");
    }

    /// <summary>
    /// Queues a marker behind everything already sent to the socket; reading up to it separates datagrams sent
    /// before this moment from those sent after.
    /// </summary>
    public async Task<List<string>> ReceiveUpToMarkerAsync()
    {
        const string marker = "TEST_MARKER=1";
        using (var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            var address = NotifySocket[0] == '@' ? "\0" + NotifySocket[1..] : NotifySocket;
            await client.SendToAsync(Encoding.UTF8.GetBytes(marker), SocketFlags.None, new UnixDomainSocketEndPoint(address));
        }

        var before = await ReceiveUntilAsync(marker);
        before.RemoveAt(before.Count - 1);
        return before;
    }

    public static string[] Assignments(string datagram) => datagram.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
