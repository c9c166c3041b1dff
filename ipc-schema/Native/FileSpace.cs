using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// Sizes a new segment or queue file with its blocks reserved (posix_fallocate), never sparsely: a sparse file on a
/// full tmpfs maps fine and then kills the writer with SIGBUS on the first store. Also removes the temporary files
/// of writers that died before renaming theirs (a crash leaves one per attempt).
/// </summary>
internal static class FileSpace
{
    public static void Reserve(SafeFdHandle fd, long size, string temporaryPath, string finalPath)
    {
        int error = Interop.Libc.PosixFallocate(fd.Fd, 0, size);
        if (error == 0)
        {
            return;
        }

        var directory = Path.GetDirectoryName(finalPath) ?? ".";
        if (error is Interop.Libc.ENOSPC or Interop.Libc.EFBIG)
        {
            throw new SegmentSpaceException(directory, Path.GetFileName(finalPath), size, Available(directory));
        }

        // A file system without fallocate (EOPNOTSUPP) keeps the old sparse sizing; anything else is an error.
        const int EOPNOTSUPP = 95;
        if (error != EOPNOTSUPP || Interop.Libc.Ftruncate(fd.Fd, size) != 0)
        {
            throw new IpcSystemException("posix_fallocate", temporaryPath, error);
        }
    }

    /// <summary>Deletes <c>PATH.tmp-PID-*</c> files whose process is gone.</summary>
    public static void RemoveStaleTemporaries(string finalPath)
    {
        var directory = Path.GetDirectoryName(finalPath);
        if (directory is null || !System.IO.Directory.Exists(directory))
        {
            return;
        }

        var prefix = Path.GetFileName(finalPath) + ".tmp-";
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, prefix + "*"))
        {
            var rest = Path.GetFileName(path).AsSpan(prefix.Length);
            int dash = rest.IndexOf('-');
            if (dash > 0 && int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && !ProcessLiveness.IsAlive(pid, 0))
            {
                _ = Interop.Libc.Unlink(path);
            }
        }
    }

    private static long Available(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
