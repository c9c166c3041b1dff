namespace EdgePartition.S7.Tests;

/// <summary>Bounds for every await in these tests (generous: the machine is shared).</summary>
internal static class S7TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;
}
