namespace EdgePartition.Ipc;

/// <summary>What kind of EdgePartition file a directory entry is.</summary>
public enum SegmentFileKind
{
    Segment,
    WriteQueue,

    /// <summary>The waiter count beside a segment (`.waiters`), removed with it.</summary>
    Waiters,
}

/// <summary>One EdgePartition file found in a segment directory.</summary>
public sealed record SegmentFileInfo(string Partition, string Name, string Path, SegmentFileKind Kind, long Length);

/// <summary>Lists the segments, waiters files and write queues in a directory (default /dev/shm), for `edgepart shm ls` and consumers.</summary>
public static class SegmentDirectory
{
    /// <param name="partition">Only this partition's files, or all when null.</param>
    public static IReadOnlyList<SegmentFileInfo> List(string directory = SegmentNames.DefaultDirectory, string? partition = null)
    {
        var found = new List<SegmentFileInfo>();
        if (!Directory.Exists(directory))
        {
            return found;
        }

        foreach (var path in Directory.EnumerateFiles(directory, SegmentNames.Prefix + ".*"))
        {
            var parts = System.IO.Path.GetFileName(path).Split('.');
            SegmentFileKind kind;
            if (parts.Length == 3)
            {
                kind = SegmentFileKind.Segment;
            }
            else if (parts.Length == 4 && "." + parts[3] == SegmentNames.WriteQueueSuffix)
            {
                kind = SegmentFileKind.WriteQueue;
            }
            else if (parts.Length == 4 && "." + parts[3] == SegmentNames.WaitersSuffix)
            {
                kind = SegmentFileKind.Waiters;
            }
            else
            {
                continue;
            }

            if (!SegmentNames.IsValidName(parts[1]) || !SegmentNames.IsValidName(parts[2]) || (partition is not null && parts[1] != partition))
            {
                continue;
            }

            long length;
            try
            {
                length = new FileInfo(path).Length;
            }
            catch (IOException)
            {
                continue;
            }

            found.Add(new SegmentFileInfo(parts[1], parts[2], path, kind, length));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    /// <summary>
    /// Removes a segment, its lock file, its waiters file, its write queue and the queue's semaphores (tests, uninstall). Only call
    /// when no writer runs: readers that still have it mapped keep their (now nameless) copy.
    /// </summary>
    public static void Delete(string directory, string partition, string name)
    {
        var path = SegmentNames.SegmentPath(directory, partition, name);
        TryDelete(path);
        TryDelete(SegmentNames.LockPath(path));
        TryDelete(SegmentNames.WaitersPath(path));
        WriteQueue.Unlink(directory, partition, name);
    }

    /// <summary>Removes every file and semaphore of a partition in <paramref name="directory"/>.</summary>
    public static void DeletePartition(string directory, string partition)
    {
        SegmentNames.Validate(partition, nameof(partition));
        foreach (var entry in List(directory, partition))
        {
            Delete(directory, partition, entry.Name);
        }

        foreach (var path in Directory.EnumerateFiles(directory, $"{SegmentNames.Prefix}.{partition}.*"))
        {
            TryDelete(path);
        }

        TryDelete(PartitionLease.PathOf(directory, partition));

        if (directory != SegmentNames.DefaultDirectory && Directory.Exists(SegmentNames.DefaultDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(SegmentNames.DefaultDirectory, $"sem.{SegmentNames.Prefix}.{partition}.*"))
            {
                TryDelete(path);
            }
        }
        else
        {
            foreach (var path in Directory.EnumerateFiles(directory, $"sem.{SegmentNames.Prefix}.{partition}.*"))
            {
                TryDelete(path);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
