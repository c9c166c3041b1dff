using System.Runtime.InteropServices;
using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Json;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Partition;

/// <summary>
/// Follows one segment on a dedicated thread: sleeps on the segment's futex until the writer commits, copies a
/// cycle-consistent snapshot, finds the tags whose slot bytes changed, and publishes the snapshot with one change
/// message per changed tag (and a status message) to the feed. Wait timeouts drive the liveness checks, so a dead
/// or hung writer shows within one <see cref="ConsumersOptions.LivenessPollInterval"/>. A missing or replaced file
/// is re-opened; nothing here ever writes to the segment (it is mapped read-only).
/// </summary>
public sealed partial class SourceWatcher(PartitionState partition, SourceState source, FeedHub hub, ConsumersOptions options, ILogger logger)
{
    /// <summary>Status messages of a busy writer are sent at most this often (its values are never held back).</summary>
    private static readonly long StatusIntervalNs = 100_000_000;

    private readonly List<TagChange> _changes = [];
    private readonly FeedJson _json = new();
    private SegmentReader? _reader;
    private SegmentSnapshot? _scratch;
    private ulong _seen;
    private bool _statusUnsent;
    private long _lastStatusNs;
    private long _lastLivenessCheckNs;

    public void Run(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    if (_reader is null && !TryAttach())
                    {
                        stopping.WaitHandle.WaitOne(options.LivenessPollInterval);
                        continue;
                    }

                    Follow(stopping);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A segment that changes under us in a way nobody foresaw must not take the dashboard down:
                    // drop the attachment, say why, and start over after a pause.
                    LogWatchFailed(logger, e, source.Name);
                    _reader?.Dispose();
                    _reader = null;
                    _scratch = null;
                    stopping.WaitHandle.WaitOne(options.LivenessPollInterval);
                }
            }
        }
        finally
        {
            _reader?.Dispose();
        }
    }

    private bool TryAttach()
    {
        string problem;
        try
        {
            _reader = SegmentReader.Open(partition.Plan.SegmentDirectory, partition.Name, source.Name);
            _scratch = _reader.CreateSnapshot();
            _seen = 0;
            LogAttached(logger, source.Name, _reader.Layout.TagCount);
            return true;
        }
        catch (FileNotFoundException)
        {
            problem = source.Plan.Kind == SourceKind.Sync
                ? "no sync segment yet: is `edgepart sync` running?"
                : $"no segment yet: is the collector of {source.Name} running?";
        }
        catch (SegmentFormatException e)
        {
            problem = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IpcSystemException)
        {
            problem = e.Message;
        }

        var current = source.Current;
        if (current.Present || current.Problem != problem)
        {
            if (current.Present)
            {
                LogDetached(logger, source.Name, problem);
            }

            var absent = SourceSnapshot.Absent(problem);
            hub.Publish(source, absent, [], _json.Status(source.Name, absent, SyncSnapshot()));
            hub.ResyncAll();
        }

        return false;
    }

    /// <summary>Waits for the next commit (or the liveness interval) and publishes what it finds.</summary>
    private void Follow(CancellationToken stopping)
    {
        var reader = _reader!;
        var first = !source.Current.Present || !ReferenceEquals(source.Current.Layout, reader.Layout);
        var changed = first || reader.WaitForChange(_seen, options.LivenessPollInterval);
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        var now = MonotonicClock.NowNanoseconds;
        if (changed && reader.State != SegmentState.Superseded)
        {
            if (reader.TryReadSnapshot(_scratch!))
            {
                Publish(reader, first, now);
                if (now - _lastLivenessCheckNs < Nanoseconds.From(options.LivenessPollInterval))
                {
                    return;
                }
            }
            else
            {
                // The writer is stuck (or died) inside a commit: judge it, then wait rather than spin on it.
                Interlocked.Increment(ref source.ReadFailures);
                CheckWriter(reader, now);
                stopping.WaitHandle.WaitOne(options.LivenessPollInterval);
                return;
            }
        }

        CheckWriter(reader, now);
    }

    private void Publish(SegmentReader reader, bool first, long now)
    {
        var scratch = _scratch!;
        _seen = scratch.ChangeSequence;
        var previous = source.Current;
        var layout = reader.Layout;
        var data = scratch.Data;
        _changes.Clear();
        if (!first)
        {
            var before = previous.Data.AsSpan();
            for (var i = 0; i < layout.TagCount; i++)
            {
                var slot = layout.Slot(i);
                var length = TagSlot.HeaderSize + slot.ValueSize;
                if (!data.Slice(slot.SlotOffset, length).SequenceEqual(before.Slice(slot.SlotOffset, length)))
                {
                    _changes.Add(new TagChange(i, _json.Change(source.Name, data, layout.Tag(i), slot)));
                }
            }
        }

        var liveness = first || previous.Liveness != WriterLiveness.Alive ? reader.CheckLiveness() : WriterLiveness.Alive;
        if (first)
        {
            _lastLivenessCheckNs = now;
        }

        var snapshot = SourceSnapshot.Read(layout, data.ToArray(), reader.ReadWriterInfo(), liveness);
        var status = snapshot.Status;
        var oldStatus = previous.Status;
        // State changes go out at once; counters of a busy writer at most every StatusIntervalNs.
        var urgent = first || status.State != oldStatus.State || liveness != previous.Liveness || status.StateSinceUnixNs != oldStatus.StateSinceUnixNs;
        var statusMessage = urgent || now - _lastStatusNs >= StatusIntervalNs ? _json.Status(source.Name, snapshot, SyncSnapshot()) : null;
        _statusUnsent = statusMessage is null;
        if (statusMessage is not null)
        {
            _lastStatusNs = now;
        }

        Interlocked.Increment(ref source.SnapshotsRead);
        Interlocked.Add(ref source.TagChanges, _changes.Count);
        hub.Publish(source, snapshot, CollectionsMarshal.AsSpan(_changes), statusMessage);
        if (first)
        {
            // New tags (a segment appeared or changed its layout): clients need a snapshot, not a flood of changes.
            hub.ResyncAll();
        }
    }

    /// <summary>On a quiet segment (or every liveness interval): is the writer still there, and is it the same file?</summary>
    private void CheckWriter(SegmentReader reader, long now)
    {
        _lastLivenessCheckNs = now;
        var liveness = reader.CheckLiveness();
        if (liveness == WriterLiveness.Superseded)
        {
            LogReattaching(logger, source.Name);
            reader.Dispose();
            _reader = null;
            _scratch = null;
            return;
        }

        var current = source.Current;
        var refreshed = current.WithLiveness(liveness, reader.ReadWriterInfo());
        var send = liveness != current.Liveness || _statusUnsent;
        if (liveness != current.Liveness)
        {
            LogLiveness(logger, source.Name, StatusJson.LivenessName(current.Liveness), StatusJson.LivenessName(liveness));
        }

        _statusUnsent = false;
        hub.Publish(source, refreshed, [], send ? _json.Status(source.Name, refreshed, SyncSnapshot()) : null);
    }

    private SourceSnapshot? SyncSnapshot() => partition.Sync?.Current;

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Attached to the segment of {Source} ({Tags} tags)")]
    private static partial void LogAttached(ILogger logger, string source, int tags);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Lost the segment of {Source}: {Problem}")]
    private static partial void LogDetached(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 613, Level = LogLevel.Information, Message = "The segment of {Source} was replaced (new layout); re-attaching")]
    private static partial void LogReattaching(ILogger logger, string source);

    [LoggerMessage(EventId = 615, Level = LogLevel.Error, Message = "Watching the segment of {Source} failed; re-attaching")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Writer of {Source}: {From} -> {To}")]
    private static partial void LogLiveness(ILogger logger, string source, string from, string to);
}
