namespace EdgePartition.Ipc;

/// <summary>
/// The write queue's lock word (SCHEMA.md §Write queue): 0 when free, else its owner as pid (low 32 bits, the half a
/// futex waits on) and the low 32 bits of the owner's process start ticks (high half), which tell a reused pid apart.
/// </summary>
internal static class QueueLockWord
{
    public static ulong Identity(int pid, ulong startTicks) => ((ulong)(uint)startTicks << 32) | (uint)pid;

    public static int Pid(ulong word) => (int)(uint)word;

    /// <summary>Whether the owner recorded in <paramref name="word"/> still runs (the same process, not a pid reused since).</summary>
    public static bool OwnerAlive(ulong word)
    {
        var pid = Pid(word);
        if (!ProcessLiveness.IsAlive(pid, 0))
        {
            return false;
        }

        var startTicks = ProcessLiveness.ReadStartTicks(pid);
        return startTicks == 0 || (uint)startTicks == (uint)(word >> 32);
    }
}
