using EdgePartition.Ipc;

namespace EdgePartition.Cli.Shm;

/// <summary>`edgepart shm ls`: one line per segment or write queue.</summary>
internal static class ShmList
{
    public static int Run(string directory, string? partition, TextWriter output)
    {
        var entries = SegmentDirectory.List(directory, partition);
        output.WriteLine($"{"PARTITION",-16} {"NAME",-20} {"KIND",-6} {"WRITER",-22} {"PID",7} {"EPOCH",-16} {"COMMITS",10} {"TAGS",5} {"BYTES",9}");
        foreach (var entry in entries)
        {
            if (entry.Kind == SegmentFileKind.Waiters)
            {
                // Bookkeeping beside its segment (a waiter count), not something an operator inspects.
                continue;
            }

            if (entry.Kind == SegmentFileKind.WriteQueue)
            {
                output.WriteLine($"{entry.Partition,-16} {entry.Name,-20} {"queue",-6} {"",-22} {"",7} {"",-16} {"",10} {"",5} {entry.Length,9}");
                continue;
            }

            try
            {
                using var reader = SegmentReader.OpenPath(entry.Path);
                var info = reader.ReadWriterInfo();
                output.WriteLine($"{entry.Partition,-16} {entry.Name,-20} {"seg",-6} {ShmFormat.Liveness(reader),-22} {info.Pid,7} {info.Epoch,16:x16} {info.CommitCount,10} {reader.Layout.TagCount,5} {entry.Length,9}");
            }
            catch (Exception e) when (e is SegmentFormatException or IOException or UnauthorizedAccessException)
            {
                output.WriteLine($"{entry.Partition,-16} {entry.Name,-20} {"bad",-6} {e.Message}");
            }
        }

        if (entries.Count == 0 || entries.All(e => e.Kind == SegmentFileKind.Waiters))
        {
            output.WriteLine($"(no EdgePartition segments in {directory})");
        }

        return 0;
    }
}
