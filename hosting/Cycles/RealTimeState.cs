namespace EdgePartition.Hosting.Cycles;

/// <summary>Whether the real-time settings asked for are in force on the cycle thread.</summary>
public enum RealTimeState
{
    NotRequested,
    Applied,

    /// <summary>Asked for but refused (missing capability, bad CPU list); the loop runs with normal scheduling.</summary>
    Fallback,
}
