using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EdgePartition.S7.Server;

/// <summary>
/// A virtual PLC that serves S7 clients over ISO-on-TCP, like snap7's S7Server: register DB/M/I/Q/C/T areas,
/// read and write them from the host, lock them, serve several clients at once up to a maximum, raise events for
/// clients and accesses, and report a CPU run/stop status. Garbage or a half-sent frame from one client closes or
/// stalls only that client.
/// </summary>
public sealed class S7Server : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, S7ServerArea> _areas = new();
    private readonly ConcurrentDictionary<S7ServerConnection, Task> _connections = new();
    private readonly S7ServerOptions _options;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private CancellationTokenSource? _stopping;
    private int _clientCount;
    private long _protocolErrors;

    public S7Server(S7ServerOptions? options = null)
    {
        _options = options ?? new S7ServerOptions();
        _options.Validate();
    }

    public S7ServerOptions Options => _options;

    /// <summary>The bound endpoint after <see cref="Start"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The bound port (useful with port 0).</summary>
    public int Port => LocalEndPoint?.Port ?? 0;

    public int ClientCount => Volatile.Read(ref _clientCount);

    /// <summary>Malformed frames and protocol violations seen (each closed its connection).</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    public S7CpuStatus CpuStatus { get; set; } = S7CpuStatus.Run;

    public event EventHandler<S7ServerClientEventArgs>? ClientConnected;

    public event EventHandler<S7ServerClientEventArgs>? ClientRejected;

    public event EventHandler<S7ServerClientEventArgs>? ClientDisconnected;

    public event EventHandler<S7ServerAccessEventArgs>? AreaRead;

    public event EventHandler<S7ServerAccessEventArgs>? AreaWritten;

    /// <summary>Registers an area; the memory is served as is (the host may keep writing it, ideally under <see cref="LockArea"/>).</summary>
    public void RegisterArea(S7Area area, int number, Memory<byte> memory)
    {
        if (!area.IsDefined())
        {
            throw new ArgumentOutOfRangeException(nameof(area), area, "unknown area");
        }

        if (area == S7Area.DB && number is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "DB numbers are 1..65535");
        }

        if (!_areas.TryAdd(S7ServerArea.Key(area, number), new S7ServerArea(memory)))
        {
            throw new InvalidOperationException($"{Describe(area, number)} is already registered");
        }
    }

    public void RegisterArea(S7Area area, int number, byte[] memory) => RegisterArea(area, number, memory.AsMemory());

    /// <summary>Registers a zero-filled area of <paramref name="size"/> bytes and returns its memory.</summary>
    public Memory<byte> RegisterArea(S7Area area, int number, int size)
    {
        var memory = new byte[size].AsMemory();
        RegisterArea(area, number, memory);
        return memory;
    }

    public bool UnregisterArea(S7Area area, int number) => _areas.TryRemove(S7ServerArea.Key(area, number), out _);

    public bool IsRegistered(S7Area area, int number) => _areas.ContainsKey(S7ServerArea.Key(area, number));

    /// <summary>Copies area bytes out, consistently with client writes.</summary>
    public void ReadArea(S7Area area, int number, int offset, Span<byte> destination)
    {
        var entry = GetArea(area, number);
        entry.Gate.Wait();
        try
        {
            entry.Memory.Span.Slice(offset, destination.Length).CopyTo(destination);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Copies bytes into an area, consistently with client reads.</summary>
    public void WriteArea(S7Area area, int number, int offset, ReadOnlySpan<byte> source)
    {
        var entry = GetArea(area, number);
        entry.Gate.Wait();
        try
        {
            source.CopyTo(entry.Memory.Span.Slice(offset, source.Length));
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Blocks client access to the area until <see cref="UnlockArea"/> (keep it short: clients wait).</summary>
    public void LockArea(S7Area area, int number) => GetArea(area, number).Gate.Wait();

    public void UnlockArea(S7Area area, int number) => GetArea(area, number).Gate.Release();

    /// <summary>Starts listening; port 0 lets the OS pick (read it from <see cref="Port"/>).</summary>
    public void Start(IPAddress? address = null, int port = 102)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the server is already started");
        }

        address ??= IPAddress.Loopback;
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _stopping = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    /// <summary>Stops listening and closes every client.</summary>
    public async Task StopAsync()
    {
        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        _listener = null;
        _stopping?.Cancel();
        listener.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Closing the sockets ends every connection loop; each cleans up after itself.
        var running = new List<Task>();
        foreach (var (connection, task) in _connections)
        {
            connection.Abort();
            running.Add(task);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping?.Dispose();
        _stopping = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            var limits = new AdmissionLimits(_options.MaxClients, _options.MaxClientsPerAddress, _options.IdleBeforeReplaceable);
            if (!ConnectionAdmission.TryAdmit(_connections.Keys, (socket.RemoteEndPoint as IPEndPoint)?.Address, limits, Environment.TickCount64))
            {
                var remote = socket.RemoteEndPoint;
                socket.Dispose();
                ClientRejected?.Invoke(this, new S7ServerClientEventArgs(remote, ClientCount));
                continue;
            }

            Interlocked.Increment(ref _clientCount);
            var connection = new S7ServerConnection(this, socket);
            ClientConnected?.Invoke(this, new S7ServerClientEventArgs(connection.Remote, ClientCount));
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = RunConnectionAsync(connection, started.Task, stopping);
            started.SetResult();
        }
    }

    private async Task RunConnectionAsync(S7ServerConnection connection, Task registered, CancellationToken stopping)
    {
        Exception? error = null;
        try
        {
            // Runs only once the task is in _connections, so its own removal below cannot come first.
            await registered.ConfigureAwait(false);
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
            if (e is S7ProtocolException { Reason: not ProtocolErrorReason.ConnectionClosed })
            {
                Interlocked.Increment(ref _protocolErrors);
            }
        }
        finally
        {
            await connection.CloseAsync().ConfigureAwait(false);
            _connections.TryRemove(connection, out _);
            int count = Interlocked.Decrement(ref _clientCount);
            ClientDisconnected?.Invoke(this, new S7ServerClientEventArgs(connection.Remote, count,
                error is OperationCanceledException or S7ProtocolException { Reason: ProtocolErrorReason.ConnectionClosed } ? null : error));
        }
    }

    internal bool TryGetArea(S7Area area, int number, out S7ServerArea entry) =>
        _areas.TryGetValue(S7ServerArea.Key(area, number), out entry!);

    internal bool HasAccessSubscribers(bool write) => write ? AreaWritten is not null : AreaRead is not null;

    internal void RaiseAccess(bool write, S7ServerAccessEventArgs args) => (write ? AreaWritten : AreaRead)?.Invoke(this, args);

    private S7ServerArea GetArea(S7Area area, int number) =>
        _areas.TryGetValue(S7ServerArea.Key(area, number), out var entry) ? entry
            : throw new InvalidOperationException($"{Describe(area, number)} is not registered");

    private static string Describe(S7Area area, int number) => area == S7Area.DB ? $"DB{number}" : area.ToString();
}
