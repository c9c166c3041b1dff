using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Cli.Shm;

/// <summary>`edgepart shm dump`: one consistent snapshot as text or as the stable JSON document.</summary>
internal static class ShmDump
{
    /// <summary>EX_DATAERR: the file is not a usable segment.</summary>
    public const int BadSegment = 65;

    /// <summary>EX_NOINPUT: no such segment.</summary>
    public const int NoSegment = 66;

    /// <summary>EX_TEMPFAIL: no consistent snapshot (writer stuck mid-commit or dead).</summary>
    public const int NoSnapshot = 75;

    public static int Run(string directory, string partition, string segment, bool asJson, TextWriter output, TextWriter error)
    {
        if (!SegmentNames.IsValidName(partition) || !SegmentNames.IsValidName(segment))
        {
            error.WriteLine($"edgepart shm dump: partition and segment names must match [A-Za-z0-9_-]{{1,{SegmentNames.MaxNameLength}}}");
            return 64;
        }

        SegmentReader reader;
        try
        {
            reader = SegmentReader.Open(directory, partition, segment);
        }
        catch (FileNotFoundException)
        {
            error.WriteLine($"{SegmentNames.SegmentPath(directory, partition, segment)}: no such segment (is the writer running? `edgepart shm ls`)");
            return NoSegment;
        }
        catch (SegmentFormatException e)
        {
            error.WriteLine(e.Message);
            return BadSegment;
        }

        using (reader)
        {
            var snapshot = reader.CreateSnapshot();
            if (!reader.TryReadSnapshot(snapshot))
            {
                error.WriteLine($"{reader.Path}: no consistent snapshot; writer is {ShmFormat.Liveness(reader)}");
                return NoSnapshot;
            }

            var info = reader.ReadWriterInfo();
            var liveness = reader.CheckLiveness();
            if (asJson)
            {
                using var stream = Console.OpenStandardOutput();
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    SegmentJson.Write(json, reader.Path, info, snapshot, liveness);
                }

                stream.Write("\n"u8);
                return 0;
            }

            WriteText(output, reader, info, snapshot, liveness);
            return 0;
        }
    }

    private static void WriteText(TextWriter o, SegmentReader reader, WriterInfo info, SegmentSnapshot s, WriterLiveness liveness)
    {
        ref readonly var status = ref s.Status;
        o.WriteLine($"segment   {reader.Path}");
        o.WriteLine($"layout    {SegmentFormat.LayoutMajor}.{SegmentFormat.LayoutMinor}  schema 0x{reader.Layout.SchemaHash:x16}  {reader.Layout.TagCount} tags  {reader.Layout.SegmentSize} bytes");
        o.WriteLine($"writer    {liveness}  pid {info.Pid}  epoch 0x{info.Epoch:x16}  state {info.State}  heartbeat {info.HeartbeatAge.TotalMilliseconds:0} ms ago");
        o.WriteLine($"commits   {s.CommitSequence / 2}  changes {info.ChangeSequence}  repairs {info.RepairCount}  last commit {ShmFormat.Time(info.LastCommitUnixNs)}");
        o.WriteLine($"device    {status.State} since {ShmFormat.Time(status.StateSinceUnixNs)}  endpoint {status.GetEndpoint()}");
        o.WriteLine($"counters  reads {status.ReadsOk} ok / {status.ReadsFailed} failed  writes {status.WritesOk} ok / {status.WritesFailed} failed  reconnects {status.Reconnects}  bytes in {status.BytesIn} out {status.BytesOut}");
        o.WriteLine($"cycle     #{status.CycleCount}  last {status.CycleTimeLastNs / 1e6:0.###} ms  avg {status.CycleTimeAvgNs / 1e6:0.###} ms  max {status.CycleTimeMaxNs / 1e6:0.###} ms  jitter p50 {status.JitterP50Ns / 1e6:0.###} p99 {status.JitterP99Ns / 1e6:0.###} max {status.JitterMaxNs / 1e6:0.###} ms");
        var lastError = status.GetLastError();
        if (lastError.Length > 0)
        {
            o.WriteLine($"error     {lastError}");
        }

        o.WriteLine();
        // COMMIT: the commit that last wrote the tag (its slot version / 2), so a stuck tag stands out.
        o.WriteLine($"{"TAG",-28} {"TYPE",-10} {"ADDRESS",-16} {"QUALITY",-26} {"SOURCE TIME",-24} {"COMMIT",8} VALUE");
        for (var i = 0; i < reader.Layout.TagCount; i++)
        {
            var tag = reader.Layout.Tag(i);
            o.WriteLine($"{tag.Name,-28} {tag.DataType,-10} {tag.Address,-16} {IpcQuality.Describe(s.GetQuality(i)),-26} {ShmFormat.Time(s.GetSourceTimestamp(i)),-24} {s.GetVersion(i) / 2,8} {ShmFormat.Value(s, i)}");
        }

        var results = s.GetWriteResults();
        if (results.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("recent write results (newest first):");
            foreach (var r in results)
            {
                o.WriteLine($"  #{r.RequestId} tag {r.TagIndex} {IpcQuality.Describe(r.StatusCode)} in {(r.DoneUnixNs - r.EnqueuedUnixNs) / 1e6:0.###} ms {r.Error}");
            }
        }
    }
}
