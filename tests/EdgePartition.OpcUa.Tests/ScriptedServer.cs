using System.Net;
using System.Net.Sockets;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// A loopback TCP listener that accepts one connection and runs a script on it: lets tests send exactly the bytes
/// a misbehaving server would (ERR, garbage, silence).
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ScriptedServer(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener.Start();
        _run = RunAsync(script);
    }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Reads one whole UA TCP message (header + body) from the client.</summary>
    public static async Task<byte[]> ReadMessageAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var size = BitConverter.ToInt32(header, 4);
        var message = new byte[size];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(8), cancellationToken);
        return message;
    }

    /// <summary>An ACK offering 64 KiB buffers and no message/chunk limits.</summary>
    public static byte[] Acknowledge() =>
        Convert.FromHexString("41434B46" + "1C000000" + "00000000" + "00000100" + "00000100" + "00000000" + "00000000");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _run.WaitAsync(TestTimeouts.Default);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The script ends when the client goes away or the test is over.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        using var socket = await _listener.AcceptSocketAsync(_stop.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await script(stream, _stop.Token);
        try
        {
            // Hold the connection open until the test ends, unless the script closed it.
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
