namespace EdgePartition.Ipc;

/// <summary>A segment of a partition whose writer is alive (its lease is held).</summary>
public sealed record LiveWriter(string Segment, int Pid);

/// <summary>
/// The lease of the one supervisor (`edgepart run`) of a partition: a flock on <c>edgepart.&lt;partition&gt;@run.lock</c>
/// in the segment directory (the '@' keeps it apart from every segment name), released by the kernel when the
/// supervisor dies, so a second supervisor of the same partition can tell and refuse instead of fighting the first.
/// </summary>
public sealed class PartitionLease : IDisposable
{
    private readonly FileLease _lease;

    private PartitionLease(FileLease lease, string path)
    {
        _lease = lease;
        Path = path;
    }

    public string Path { get; }

    public static string PathOf(string directory, string partition)
    {
        SegmentNames.Validate(partition, nameof(partition));
        return System.IO.Path.Combine(directory, $"{SegmentNames.Prefix}.{partition}@run.lock");
    }

    /// <summary>Takes the partition's supervisor lease, or returns null while another live process holds it.</summary>
    public static PartitionLease? TryAcquire(string directory, string partition)
    {
        var path = PathOf(directory, partition);
        Directory.CreateDirectory(directory);
        return FileLease.TryAcquire(path, TimeSpan.Zero) is { } lease ? new PartitionLease(lease, path) : null;
    }

    /// <summary>
    /// The partition's segments whose writer is alive: after a supervisor took the lease, any of these is a process
    /// outside it (a collector started by hand, or one left behind by an old supervisor) that would hold its lease.
    /// </summary>
    public static IReadOnlyList<LiveWriter> LiveWriters(string directory, string partition)
    {
        var live = new List<LiveWriter>();
        foreach (var entry in SegmentDirectory.List(directory, partition))
        {
            if (entry.Kind == SegmentFileKind.Segment && FileLease.Probe(SegmentNames.LockPath(entry.Path)) == LeaseState.Held)
            {
                live.Add(new LiveWriter(entry.Name, SegmentHeaderProbe.TryReadWriterPid(entry.Path)));
            }
        }

        return live;
    }

    /// <summary>Removes the lock file, then lets the lease go (the file is the supervisor's alone).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _lease.Dispose();
    }
}
