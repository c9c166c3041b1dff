using System.Net;
using System.Net.Http.Headers;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Tests;

/// <summary>
/// A real partition for one test: real segments in /dev/shm written by real <see cref="SegmentWriter"/>s (two
/// devices and the sync segment, by the sync conventions), and the consumers app on 127.0.0.1 port 0 reading them.
/// Disposing stops the app, the writers, and deletes every file of the partition.
/// </summary>
public sealed class TestPartition : IAsyncDisposable
{
    public const string ShmDirectory = SegmentNames.DefaultDirectory;

    private readonly Dictionary<string, SegmentWriter> _writers = new(StringComparer.Ordinal);

    private readonly Timer _heartbeats;

    private TestPartition(string name)
    {
        Name = name;
        // Writers beat like real processes do, so the consumers keep judging them alive during long tests.
        _heartbeats = new Timer(_ => BeatAll(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public string Name { get; }

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public PartitionPlan Plan { get; private set; } = null!;

    public static readonly TagDescriptor[] DeviceTags =
    [
        new("counter", IpcDataType.Int32, Address: "DB1.DBD0"),
        new("speed", IpcDataType.Float32, Address: "DB1.DBD4"),
        new("running", IpcDataType.Bool, Address: "DB1.DBX8.0"),
        new("recipe", IpcDataType.String, MaxLength: 16, Address: "DB1.DBB10", Writable: true),
        new("levels", IpcDataType.Int16, ArrayLength: 4, Address: "DB1.DBW30"),
        new("heartbeat", IpcDataType.UInt16, Address: "DB1.DBW40"),
    ];

    public static readonly TagDescriptor[] SyncTagSet =
    [
        new("heartbeat", IpcDataType.UInt32),
        // The image as sync declares it (one declaration shared by sync and consumers).
        SyncSegmentTags.ImageTag(32),
        new("alive.plc1", IpcDataType.Bool),
        new("alive.plc2", IpcDataType.Bool),
        new("stale_since.plc1", IpcDataType.DateTime),
        new("stale_since.plc2", IpcDataType.DateTime),
        new("request.start.state", IpcDataType.UInt8),
        new("request.start.requested_at", IpcDataType.DateTime),
        new("request.start.executed_at", IpcDataType.DateTime),
        new("request.start.acknowledged_at", IpcDataType.DateTime),
        new("request.start.served", IpcDataType.UInt64),
        new("request.start.timed_out", IpcDataType.UInt64),
    ];

    /// <summary>Starts writers for <paramref name="withSegments"/> (default: plc1, plc2, sync) and the app.</summary>
    public static async Task<TestPartition> StartAsync(ConsumersOptions? options = null, string[]? withSegments = null)
    {
        var partition = new TestPartition(TestNames.Partition("c"));
        try
        {
            partition.Plan = new PartitionPlan(partition.Name, ShmDirectory,
            [
                new SourcePlan("plc1", SourceKind.Device, "s7"),
                new SourcePlan("plc2", SourceKind.Device, "modbus"),
                new SourcePlan(PartitionPlan.SyncName, SourceKind.Sync, "sync"),
            ]);
            foreach (var name in withSegments ?? ["plc1", "plc2", PartitionPlan.SyncName])
            {
                partition.StartWriter(name);
            }

            options ??= new ConsumersOptions();
            options = options with { Port = 0, LivenessPollInterval = TimeSpan.FromMilliseconds(100) };
            partition.App = ConsumersServer.Build(partition.Plan, options, builder =>
                builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning));
            await partition.App.StartAsync().WaitAsync(TestTimeouts.Default);
            partition.BaseAddress = ConsumersServer.BoundAddress(partition.App);
            return partition;
        }
        catch
        {
            await partition.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates (or re-creates) the writer of a segment and commits a first, connected cycle.</summary>
    public SegmentWriter StartWriter(string name)
    {
        var tags = name == PartitionPlan.SyncName ? SyncTagSet : DeviceTags;
        var writer = SegmentWriter.Create(ShmDirectory, Name, name, SegmentLayout.Create(tags));
        lock (_writers)
        {
            _writers[name] = writer;
        }

        ref var status = ref writer.Status;
        status.SetState(ConnectionState.Connected, UnixTime.NowNs());
        status.SetEndpoint(name == PartitionPlan.SyncName ? "" : "127.0.0.1:10102");
        Commit(name, w =>
        {
            for (var i = 0; i < w.Layout.TagCount; i++)
            {
                w.SetSample(i, IpcQuality.Good, UnixTime.NowNs());
            }
        });
        return writer;
    }

    public SegmentWriter Writer(string name) => _writers[name];

    private void BeatAll()
    {
        SegmentWriter[] writers;
        lock (_writers)
        {
            writers = [.. _writers.Values];
        }

        foreach (var writer in writers)
        {
            lock (writer)
            {
                try
                {
                    writer.Heartbeat();
                }
                catch (ObjectDisposedException)
                {
                    // Stopped by the test meanwhile.
                }
            }
        }
    }

    /// <summary>Stages a cycle with <paramref name="stage"/>, counts it in the status block, commits and beats.</summary>
    public void Commit(string name, Action<SegmentWriter> stage)
    {
        SegmentWriter writer;
        lock (_writers)
        {
            writer = _writers[name];
        }

        lock (writer)
        {
            stage(writer);
            ref var status = ref writer.Status;
            status.ReadsOk++;
            status.CycleCount++;
            status.CycleTimeLastNs = 2_000_000;
            status.CycleTimeAvgNs = 2_500_000;
            status.CycleTimeMaxNs = 9_000_000;
            writer.Commit();
            writer.Heartbeat();
        }
    }

    /// <summary>Stops a writer the way a crashed or stopped process would leave it.</summary>
    public void StopWriter(string name)
    {
        SegmentWriter? writer;
        lock (_writers)
        {
            _writers.Remove(name, out writer);
        }

        if (writer is not null)
        {
            lock (writer)
            {
                writer.Dispose();
            }
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TestTimeouts.Default,
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public Uri WebSocketUri(string pathAndQuery = "/ws") =>
        new($"{(BaseAddress.Scheme == "https" ? "wss" : "ws")}://{BaseAddress.Authority}{pathAndQuery}");

    public async ValueTask DisposeAsync()
    {
        await _heartbeats.DisposeAsync();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TestTimeouts.Default);
            await App.DisposeAsync();
        }

        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
        SegmentDirectory.DeletePartition(ShmDirectory, Name);
    }
}

/// <summary>Small helpers over HTTP responses.</summary>
public static class HttpAssert
{
    public static async Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? "");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }
}
