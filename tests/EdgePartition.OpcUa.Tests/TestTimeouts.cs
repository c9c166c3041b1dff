namespace EdgePartition.OpcUa.Tests;

/// <summary>Every await in these tests is bounded by this, so a hang fails the test instead of the run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> WithTimeout<T>(this Task<T> task) => await task.WaitAsync(Default);

    public static async Task WithTimeout(this Task task) => await task.WaitAsync(Default);

    public static async Task WithTimeout(this ValueTask task) => await task.AsTask().WaitAsync(Default);
}
