using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// A loopback proxy between the client and a real server that passes bytes through, except that it can rewrite the
/// next MSG chunk the server sends (<see cref="MangleNextServerMessage"/>): the fault hook for secure-channel fuzzing.
/// </summary>
internal sealed class ChunkManglingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;
    private Func<byte[], byte[], IReadOnlyList<byte[]>>? _mangle;

    public ChunkManglingProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>
    /// The next MSG chunk from the server goes through <paramref name="mangle"/> (the chunk, and the MSG chunk before
    /// it), which returns what to send instead (several chunks to inject a replay).
    /// </summary>
    public void MangleNextServerMessage(Func<byte[], byte[], IReadOnlyList<byte[]>> mangle) => Volatile.Write(ref _mangle, mangle);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(_pumps).WaitAsync(TestTimeouts.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
            _pumps.Add(PumpAsync(client.GetStream(), server.GetStream(), null, client, server));
            _pumps.Add(PumpAsync(server.GetStream(), client.GetStream(), this, client, server));
        }
    }

    /// <summary>Copies chunk by chunk; the server-to-client direction (<paramref name="owner"/> set) may rewrite one.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, ChunkManglingProxy? owner, TcpClient a, TcpClient b)
    {
        var previous = Array.Empty<byte>();
        try
        {
            var header = new byte[8];
            while (!_stop.IsCancellationRequested)
            {
                await from.ReadExactlyAsync(header, _stop.Token);
                var size = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                var chunk = new byte[size];
                header.CopyTo(chunk, 0);
                await from.ReadExactlyAsync(chunk.AsMemory(8), _stop.Token);
                IReadOnlyList<byte[]> output = [chunk];
                if (owner is not null && chunk[0] == 'M')
                {
                    if (Interlocked.Exchange(ref owner._mangle, null) is { } mangle)
                    {
                        output = mangle(chunk, previous);
                    }

                    previous = chunk;
                }

                foreach (var piece in output)
                {
                    await to.WriteAsync(piece, _stop.Token);
                }
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or SocketException or ObjectDisposedException or EndOfStreamException)
        {
            // Either side closed: close both.
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
