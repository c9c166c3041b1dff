namespace EdgePartition.Ipc;

/// <summary>
/// The segment directory has no room for a segment or queue file. Waiting does not make room, so a process that
/// meets it exits with <see cref="ExitCode"/>, which the supervisor does not restart in a loop.
/// </summary>
public sealed class SegmentSpaceException : IOException
{
    /// <summary>EX_CANTCREAT: the file could not be created; a restart cannot cure it until someone frees space.</summary>
    public const int ExitCode = 73;

    private static int s_raised;

    public SegmentSpaceException(string directory, string file, long bytesNeeded, long bytesAvailable)
        : base($"the segment directory {directory} has no room for {file}: {bytesNeeded} bytes needed, " +
            (bytesAvailable >= 0 ? $"{bytesAvailable} available" : "free space unknown") +
            "; free space there or make it larger (tmpfs size=, or segmentDirectory in the partition file)")
    {
        Directory = directory;
        File = file;
        BytesNeeded = bytesNeeded;
        Volatile.Write(ref s_raised, 1);
    }

    public string Directory { get; }

    public string File { get; }

    public long BytesNeeded { get; }

    /// <summary>Whether this process met a full segment directory (it should then exit with <see cref="ExitCode"/>).</summary>
    public static bool Raised => Volatile.Read(ref s_raised) != 0;
}
