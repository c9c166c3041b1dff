namespace EdgePartition.Hosting.Cycles;

/// <summary>Why a cycle loop stopped waiting.</summary>
internal enum CycleWaitResult
{
    DeadlineReached,
    Woken,
    StopRequested,
}
