using System.Buffers.Binary;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>
/// The write queue's lock survives its owner dying at any step of the protocol: a producer is SIGKILLed at each step in
/// turn, and the next writer always gets in within its timeout, with the queue consistent (the victim's request is
/// there exactly when it was published). A queue left locked by a dead process is freed when the collector starts.
/// </summary>
public sealed class WriteQueueLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("before-lock", false)]
    [InlineData("locked", false)]
    [InlineData("owner-recorded", false)]
    [InlineData("records-written", false)]
    [InlineData("published", true)]
    [InlineData("releasing", true)]
    [InlineData("released", true)]
    public async Task WriterKilledAtEachStepOfTheLockNeverBlocksTheNext(string step, bool victimPublished)
    {
        using var scope = new ShmScope();
        using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 8);
        using (var victim = ChildProcess.StartHelper("enqueue-and-die", scope.Directory, scope.Partition, "plc1", step))
        {
            await victim.WaitForLineAsync("dying at " + step);
            await victim.WaitForExitAsync();
        }

        var next = queue.TryEnqueue(0, 0, [1], "next", Patience);
        Assert.Equal(EnqueueStatus.Enqueued, next.Status);

        var request = new WriteRequest();
        var values = new List<byte>();
        while (queue.TryDequeue(request, Patience))
        {
            values.Add(request.Value[0]);
        }

        Assert.Equal(victimPublished ? [9, 1] : [1], values);
    }

    [Fact]
    public void QueueLeftLockedByADeadProcessIsFreedWhenTheCollectorStarts()
    {
        using var scope = new ShmScope();
        using (WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 8))
        {
        }

        // What a crash leaves behind across a full restart: the lock word naming a process that is gone.
        var path = SegmentNames.WriteQueuePath(scope.Directory, scope.Partition, "plc1");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            var word = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(word, ((ulong)12345 << 32) | (uint)DeadPid());
            file.Position = WriteQueueFormat.LockWordOffset;
            file.Write(word);
        }

        using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 8);

        Assert.Equal(1UL, queue.MutexRepairs);
        Assert.True(queue.TryEnqueue(0, 0, [1], "t", TimeSpan.Zero).IsEnqueued);
    }

    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("/bin/true")!;
        process.WaitForExit();
        return process.Id;
    }
}
