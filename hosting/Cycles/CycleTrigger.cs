namespace EdgePartition.Hosting.Cycles;

/// <summary>What started a cycle.</summary>
public enum CycleTrigger
{
    /// <summary>The configured period elapsed; these cycles are the ones jitter is measured on.</summary>
    Scheduled,

    /// <summary><see cref="CycleLoop.Wake"/> or an <see cref="ICycleWakeSource"/> started it ahead of the deadline.</summary>
    Woken,
}
