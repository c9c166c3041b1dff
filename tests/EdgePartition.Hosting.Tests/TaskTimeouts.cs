using System.Runtime.CompilerServices;

namespace EdgePartition.Hosting.Tests;

/// <summary>Every await in these tests is bounded; the message says which line gave up.</summary>
internal static class TaskTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task DefaultTimeout(this Task task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Path.GetFileName(file)}:{line}: no completion within {Default.TotalSeconds} s");
        }
    }

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Path.GetFileName(file)}:{line}: no completion within {Default.TotalSeconds} s");
        }
    }
}
