using EdgePartition.Ipc.TestProcess;

namespace EdgePartition.Ipc.Tests.Support;

/// <summary>The stress helper's internal-check rule, shared so the tests judge snapshots the same way.</summary>
internal static class StressCheck
{
    public static bool IsConsistent(SegmentSnapshot snapshot) => StressLayout.IsConsistent(snapshot);
}
