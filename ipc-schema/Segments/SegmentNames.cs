namespace EdgePartition.Ipc;

/// <summary>File and semaphore names: `edgepart.&lt;partition&gt;.&lt;name&gt;`, names matching [A-Za-z0-9_-]{1,48}.</summary>
public static class SegmentNames
{
    public const string Prefix = "edgepart";
    public const string DefaultDirectory = "/dev/shm";
    public const string LockSuffix = ".lock";
    public const string WriteQueueSuffix = ".writes";
    public const string WaitersSuffix = ".waiters";
    public const int MaxNameLength = 48;

    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static void Validate(string value, string what)
    {
        if (!IsValidName(value))
        {
            throw new ArgumentException($"{what} '{value}' must match [A-Za-z0-9_-]{{1,{MaxNameLength}}}", what);
        }
    }

    /// <summary>`&lt;directory&gt;/edgepart.&lt;partition&gt;.&lt;name&gt;`.</summary>
    public static string SegmentPath(string directory, string partition, string name)
    {
        Validate(partition, nameof(partition));
        Validate(name, nameof(name));
        return Path.Combine(directory, $"{Prefix}.{partition}.{name}");
    }

    public static string LockPath(string segmentPath) => segmentPath + LockSuffix;

    /// <summary>The waiter count beside a segment: `edgepart.&lt;partition&gt;.&lt;name&gt;.waiters` (see SCHEMA.md).</summary>
    public static string WaitersPath(string segmentPath) => segmentPath + WaitersSuffix;

    /// <summary>The write-request queue file of a device: `edgepart.&lt;partition&gt;.&lt;device&gt;.writes`.</summary>
    public static string WriteQueuePath(string directory, string partition, string device) =>
        SegmentPath(directory, partition, device) + WriteQueueSuffix;

    /// <summary>POSIX semaphore name `/edgepart.&lt;partition&gt;.&lt;name&gt;` (glibc keeps it as /dev/shm/sem.edgepart...).</summary>
    public static string SemaphoreName(string partition, string name) => $"/{Prefix}.{partition}.{name}";
}
