namespace EdgePartition.Sync.Tests.Support;

/// <summary>
/// Waits for a condition on a peer that offers no notification (snap7 memory is only readable by asking): polls it
/// with a short pause until it holds or the deadline passes, then fails with what was last seen.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        while (true)
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(Pause);
        }

        Assert.Fail($"{what}: not reached within {(timeout ?? DefaultTimeout).TotalSeconds:0} s; last seen {Describe(last)}");
        return last;
    }

    private static string Describe<T>(T value) => value switch
    {
        byte[] bytes => Convert.ToHexString(bytes),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
