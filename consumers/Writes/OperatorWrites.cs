using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgePartition.Consumers.Audit;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Partition;
using EdgePartition.Consumers.Security;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// Writes from people (HTTP, the websocket feed, the dashboard): checks who may write what, checks the value
/// against the tag, puts it in the device's write queue with a deadline, and answers with the collector's real
/// result from the device segment's results ring. Nothing here touches a device or a segment: the collector alone
/// talks to the device. A request that gets no result in time expires in the queue, so it is never executed later
/// by surprise. Every attempt, allowed or not, goes to the audit.
/// </summary>
public sealed class OperatorWrites : IDisposable
{
    /// <summary>The origin recorded in the write queue for these writes.</summary>
    public const string Origin = "operator";

    private static readonly TimeSpan EnqueueTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long past the request's deadline a result is still awaited: the collector may have started it just
    /// before the deadline and then finishes within its own I/O timeout.
    /// </summary>
    private static readonly TimeSpan ResultGrace = TimeSpan.FromSeconds(2);

    private readonly PartitionState _partition;
    private readonly WriteRateLimiter _rate;
    private readonly WriteAudit _audit;
    private readonly TimeSpan _resultTimeout;
    private readonly DeviceWriteQueues _queues;

    public OperatorWrites(PartitionState partition, ConsumersOptions options, WriteRateLimiter rate, WriteAudit audit, ILogger<OperatorWrites> logger)
    {
        _partition = partition;
        _rate = rate;
        _audit = audit;
        _resultTimeout = options.WriteResultTimeout;
        _queues = new DeviceWriteQueues(partition.Plan.SegmentDirectory, partition.Name, logger);
    }

    /// <summary>Runs one write to its end and audits it; never throws for anything a caller sent.</summary>
    public async Task<WriteReport> WriteAsync(WriteRequestText request, Caller caller, string client, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await RunAsync(request, caller, cancellationToken).ConfigureAwait(false);
        report = report with
        {
            Device = request.Device,
            Tag = request.Tag,
            Index = request.Index,
            Caller = caller.Name,
            Client = client,
            TimeUnixNs = UnixTime.NowNs(),
            ValueJson = request.Value.ValueKind == JsonValueKind.Undefined ? null : request.Value.GetRawText(),
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
        _audit.Record(report);
        return report;
    }

    /// <summary>Audits and returns a refusal decided before the write could start (a malformed request is an attempt too).</summary>
    public WriteReport Refuse(string device, string tag, WriteOutcome outcome, string error, Caller caller, string client)
    {
        var report = Fail(outcome, error) with { Device = device, Tag = tag, Caller = caller.Name, Client = client, TimeUnixNs = UnixTime.NowNs() };
        _audit.Record(report);
        return report;
    }

    private async Task<WriteReport> RunAsync(WriteRequestText request, Caller caller, CancellationToken cancellationToken)
    {
        var source = _partition.Find(request.Device);
        if (source is null)
        {
            return Fail(WriteOutcome.NotFound, $"no device '{request.Device}' in partition '{_partition.Name}'");
        }

        if (source.Plan.Kind == SourceKind.Sync)
        {
            return Fail(WriteOutcome.NotWritable, "the merged sync image is not writable: write the devices' tags");
        }

        var snapshot = source.Current;
        if (snapshot.Layout is not { } layout)
        {
            return Fail(WriteOutcome.DeviceDown, $"device '{request.Device}' has no segment ({snapshot.Problem}); is its collector running?");
        }

        if (!layout.TryGetIndex(request.Tag, out var tagIndex))
        {
            return Fail(WriteOutcome.NotFound, $"device '{request.Device}' has no tag '{request.Tag}'");
        }

        var tag = layout.Tag(tagIndex);
        if (!tag.Writable)
        {
            return Fail(WriteOutcome.NotWritable, $"tag '{request.Tag}' is not writable (its config does not say writable=\"true\")");
        }

        if (!caller.MayWrite(request.Device, request.Tag))
        {
            return Fail(WriteOutcome.Forbidden, caller.CanWrite
                ? $"token '{caller.Name}' may not write {request.Device}/{request.Tag} (outside its scopes)"
                : $"token '{caller.Name}' has no write role");
        }

        if (!_rate.TryAcquire(caller.Name))
        {
            return Fail(WriteOutcome.RateLimited, $"token '{caller.Name}' exceeded its writes per second");
        }

        var slot = layout.Slot(tagIndex);
        if (WriteValueEncoder.TryEncode(tag, slot, request.Value, request.Index, out var bytes, out var byteOffset) is { } valueError)
        {
            return Fail(WriteOutcome.BadValue, $"{request.Tag}: {valueError}");
        }

        var previous = PreviousValue(snapshot, tag, slot);
        if (DeviceDownReason(snapshot) is { } down)
        {
            return Fail(WriteOutcome.DeviceDown, down) with { PreviousJson = previous };
        }

        var deadline = UnixTime.NowNs() + Nanoseconds.From(_resultTimeout);
        var enqueued = _queues.TryEnqueue(request.Device, snapshot.Writer.Epoch, tagIndex, byteOffset, bytes, Origin, EnqueueTimeout, deadline);
        if (!enqueued.IsEnqueued)
        {
            return Fail(enqueued.Status == EnqueueStatus.QueueFull ? WriteOutcome.QueueFull : WriteOutcome.DeviceDown, enqueued.Error) with { PreviousJson = previous };
        }

        var result = await WaitForResultAsync(source, enqueued.LastRequestId, _resultTimeout + ResultGrace, cancellationToken).ConfigureAwait(false);
        if (result is not { } done)
        {
            return Fail(WriteOutcome.TimedOut, $"no result from the collector within {_resultTimeout.TotalSeconds:0.#} s; the request expires in the queue and will not be executed")
                with
            { RequestId = enqueued.LastRequestId, PreviousJson = previous };
        }

        var outcome = IpcQuality.IsGood(done.StatusCode) ? WriteOutcome.Done
            : done.StatusCode == IpcQuality.BadNotConnected ? WriteOutcome.DeviceDown
            : done.StatusCode == IpcQuality.BadTimeout ? WriteOutcome.TimedOut
            : WriteOutcome.Refused;
        return new WriteReport
        {
            Device = "",
            Tag = "",
            Outcome = outcome,
            Error = outcome == WriteOutcome.Done ? null : $"{IpcQuality.Describe(done.StatusCode)}: {done.Error}",
            RequestId = done.RequestId,
            EnqueuedUnixNs = done.EnqueuedUnixNs,
            StartedUnixNs = done.StartedUnixNs,
            DoneUnixNs = done.DoneUnixNs,
            PreviousJson = previous,
        };
    }

    /// <summary>Waits for the collector's result of <paramref name="requestId"/>: each published snapshot is checked once.</summary>
    private static async Task<WriteResult?> WaitForResultAsync(SourceState source, ulong requestId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(timeout);
        while (true)
        {
            var next = source.NextPublish();
            var current = source.Current;
            if (current.Layout is { } layout && SegmentSnapshot.TryGetWriteResult(current.Data, layout, requestId, out var result))
            {
                return result;
            }

            try
            {
                await next.WaitAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>Why the device cannot take a write now (collector gone or hung, device not connected); null when it can.</summary>
    private static string? DeviceDownReason(SourceSnapshot snapshot)
    {
        if (snapshot.Liveness != WriterLiveness.Alive)
        {
            return $"the device's collector is {snapshot.Liveness.ToString().ToLowerInvariant()}";
        }

        var status = snapshot.Status;
        return status.State == ConnectionState.Connected ? null
            : $"device not connected ({status.State}{(status.GetLastError() is { Length: > 0 } error ? ": " + error : "")})";
    }

    private static string PreviousValue(SourceSnapshot snapshot, TagDescriptor tag, TagSlot slot)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.WriterOptions))
        {
            TagValueJson.WriteValue(writer, snapshot.Data, tag, slot);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static WriteReport Fail(WriteOutcome outcome, string error) => new() { Device = "", Tag = "", Outcome = outcome, Error = error };

    public void Dispose() => _queues.Dispose();
}
