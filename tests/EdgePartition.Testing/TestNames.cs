namespace EdgePartition.Testing;

/// <summary>Unique names so tests running in parallel never share a segment, semaphore or partition.</summary>
public static class TestNames
{
    public static string Partition(string prefix = "t") => $"{prefix}{Environment.ProcessId:x}{Guid.NewGuid():N}"[..Math.Min(24, prefix.Length + 20)];
}
