using System.Threading.Channels;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Northbound.Publishing;

/// <summary>
/// Follows one device segment on its own thread, read-only, as the consumers do: sleeps on the segment's futex
/// until the collector commits, copies a cycle-consistent snapshot and hands it to the publisher loop. A missing
/// segment, a dead or hung writer, or a writer not connected to its device is reported as the device being
/// offline (DDEATH); a replaced segment is re-opened (new layout: new DBIRTH).
/// </summary>
internal sealed partial class DeviceWatcher(int deviceIndex, string device, string segmentDirectory, string partition, ChannelWriter<NorthboundEvent> events, ILogger logger)
{
    private static readonly TimeSpan LivenessInterval = TimeSpan.FromMilliseconds(500);

    public Thread Start(CancellationToken stopping)
    {
        var thread = new Thread(() => Run(stopping)) { IsBackground = true, Name = $"northbound {device}" };
        thread.Start();
        return thread;
    }

    private void Run(CancellationToken stopping)
    {
        SegmentReader? reader = null;
        SegmentSnapshot? snapshot = null;
        string? lastProblem = null;
        var lastOnline = false;
        ulong seen = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (reader is null)
                {
                    try
                    {
                        reader = SegmentReader.Open(segmentDirectory, partition, device);
                        snapshot = reader.CreateSnapshot();
                        seen = 0;
                        lastProblem = null;
                        LogAttached(logger, device, reader.Layout.TagCount);
                    }
                    catch (Exception e) when (e is FileNotFoundException or SegmentFormatException or IOException or UnauthorizedAccessException or IpcSystemException)
                    {
                        var problem = e is FileNotFoundException ? $"no segment yet: is the collector of {device} running?" : e.Message;
                        if (problem != lastProblem)
                        {
                            lastProblem = problem;
                            Post(new DeviceCommit(deviceIndex, null, [], false, UnixTime.NowNs(), problem), stopping);
                        }

                        stopping.WaitHandle.WaitOne(LivenessInterval);
                        continue;
                    }
                }

                var changed = seen == 0 || reader.WaitForChange(seen, LivenessInterval);
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                var liveness = reader.CheckLiveness();
                if (liveness == WriterLiveness.Superseded || reader.NeedsReattach())
                {
                    reader.Dispose();
                    reader = null;
                    continue;
                }

                if (!changed && (liveness == WriterLiveness.Alive) == lastOnline)
                {
                    continue;
                }

                if (!reader.TryReadSnapshot(snapshot!))
                {
                    stopping.WaitHandle.WaitOne(LivenessInterval);
                    continue;
                }

                seen = snapshot!.ChangeSequence;
                var online = liveness == WriterLiveness.Alive && snapshot.Status.State == ConnectionState.Connected;
                lastOnline = liveness == WriterLiveness.Alive;
                Post(new DeviceCommit(deviceIndex, reader.Layout, snapshot.Data.ToArray(), online, UnixTime.NowNs(), online ? null : $"device {snapshot.Status.State}, writer {liveness}"), stopping);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogWatchFailed(logger, e, device);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Blocks while the publisher is behind (the queue is bounded); the next snapshot carries the latest values.</summary>
    private void Post(DeviceCommit commit, CancellationToken stopping)
    {
        if (!events.TryWrite(commit))
        {
            events.WriteAsync(commit, stopping).AsTask().GetAwaiter().GetResult();
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Northbound attached to the segment of {Device} ({Tags} tags)")]
    private static partial void LogAttached(ILogger logger, string device, int tags);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Error, Message = "Northbound stopped following {Device}")]
    private static partial void LogWatchFailed(ILogger logger, Exception e, string device);
}
