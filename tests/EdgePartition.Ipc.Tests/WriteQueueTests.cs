using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>The bounded multi-producer write-request queue and its named semaphores.</summary>
public class WriteQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void RequestsComeOutInOrderWithTheirFields()
    {
        using var scope = new ShmScope();
        using var consumer = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 8);
        using var producer = WriteQueue.Open(scope.Directory, scope.Partition, "plc1");
        var first = producer.TryEnqueue(3, 10, [1, 2, 3], "sync", Timeout, deadlineUnixNs: 123);
        var second = producer.TryEnqueue(4, 0, [9], "operator", Timeout);
        Assert.Equal(EnqueueStatus.Enqueued, first.Status);
        Assert.Equal(first.RequestId + 1, second.RequestId);
        Assert.True(consumer.WaitForRequest(Timeout));
        var request = new WriteRequest();
        Assert.True(consumer.TryDequeue(request, Timeout));
        Assert.Equal(first.RequestId, request.RequestId);
        Assert.Equal(3, request.TagIndex);
        Assert.Equal(10, request.ByteOffset);
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Value.ToArray());
        Assert.Equal("sync", request.Origin);
        Assert.Equal(Environment.ProcessId, request.OriginPid);
        Assert.Equal(123, request.DeadlineUnixNs);
        Assert.True(consumer.TryDequeue(request, Timeout));
        Assert.Equal("operator", request.Origin);
        Assert.False(consumer.TryDequeue(request, Timeout));
        Assert.False(consumer.WaitForRequest(TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void FullQueueRefusesWithAClearError()
    {
        using var scope = new ShmScope();
        using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 2);
        Assert.True(queue.TryEnqueue(0, 0, [1], "t", Timeout).IsEnqueued);
        Assert.True(queue.TryEnqueue(0, 0, [2], "t", Timeout).IsEnqueued);
        var refused = queue.TryEnqueue(0, 0, [3], "t", Timeout);
        Assert.Equal(EnqueueStatus.QueueFull, refused.Status);
        Assert.Contains("write queue full", refused.Error);
        Assert.Contains(queue.Path, refused.Error);
        Assert.Equal(1UL, queue.RefusedFull);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void LargeValuesAreSplitIntoConsecutiveRecordsAllOrNothing()
    {
        using var scope = new ShmScope();
        using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 4);
        var block = Enumerable.Range(0, 2500).Select(i => (byte)i).ToArray();
        var result = queue.TryEnqueue(7, 100, block, "sync", Timeout);
        Assert.Equal(3, result.RecordCount);
        Assert.Equal(EnqueueStatus.QueueFull, queue.TryEnqueue(7, 0, block, "sync", Timeout).Status);
        Assert.Equal(3, queue.Count);
        var request = new WriteRequest();
        var reassembled = new byte[2500];
        for (var i = 0; i < 3; i++)
        {
            Assert.True(queue.TryDequeue(request, Timeout));
            Assert.Equal(result.RequestId + (ulong)i, request.RequestId);
            request.Value.CopyTo(reassembled.AsSpan(request.ByteOffset - 100));
        }

        Assert.Equal(block, reassembled);
        Assert.Equal(result.LastRequestId, request.RequestId);
    }

    [Fact]
    public void ProducerWithoutConsumerGetsFileNotFound()
    {
        using var scope = new ShmScope();
        Assert.Throws<FileNotFoundException>(() => WriteQueue.Open(scope.Directory, scope.Partition, "absent"));
    }

    [Fact]
    public async Task HolderKilledWhileHoldingTheSemaphoreIsRepairedAndOthersGoOn()
    {
        using var scope = new ShmScope();
        using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 8);
        using (var holder = ChildProcess.StartHelper("hold-mutex", scope.Directory, scope.Partition, "plc1"))
        {
            await holder.WaitForLineAsync("held");
            // While the holder lives, a short wait times out instead of blocking.
            Assert.Equal(EnqueueStatus.Timeout, queue.TryEnqueue(0, 0, [1], "t", TimeSpan.FromMilliseconds(100)).Status);
            await holder.KillAsync();
        }

        var afterCrash = queue.TryEnqueue(0, 0, [2], "t", TimeSpan.FromSeconds(30));
        Assert.Equal(EnqueueStatus.Enqueued, afterCrash.Status);
        Assert.Equal(1UL, queue.MutexRepairs);
        var request = new WriteRequest();
        Assert.True(queue.TryDequeue(request, Timeout));
        Assert.Equal(new byte[] { 2 }, request.Value.ToArray());
        Assert.True(queue.TryEnqueue(0, 0, [3], "t", Timeout).IsEnqueued);
        Assert.Equal(1UL, queue.MutexRepairs);
    }

    [Fact]
    public async Task ConcurrentProducersNeverLoseOrDuplicateRequests()
    {
        using var scope = new ShmScope();
        using var consumer = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 16);
        const int perProducer = 300;
        var seen = new HashSet<ulong>();
        var returned = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        var producers = Enumerable.Range(0, 3).Select(p => Task.Run(() =>
        {
            using var producer = WriteQueue.Open(scope.Directory, scope.Partition, "plc1");
            for (var i = 0; i < perProducer; i++)
            {
                using var starved = new CancellationTokenSource(TestTimeouts.Default);
                EnqueueResult result;
                while (!(result = producer.TryEnqueue(p, i, [(byte)p], $"p{p}", Timeout)).IsEnqueued)
                {
                    Assert.False(starved.IsCancellationRequested, "producer starved");
                    Thread.Yield();
                }

                returned.Add(result.RequestId);
            }
        })).ToArray();
        var request = new WriteRequest();
        using var giveUp = new CancellationTokenSource(TestTimeouts.Process);
        while (seen.Count < 3 * perProducer && !giveUp.IsCancellationRequested)
        {
            if (consumer.WaitForRequest(TimeSpan.FromMilliseconds(100)))
            {
                while (consumer.TryDequeue(request, Timeout))
                {
                    Assert.True(seen.Add(request.RequestId));
                }
            }
        }

        await Task.WhenAll(producers).WithTimeout();
        Assert.Equal(3 * perProducer, seen.Count);
        Assert.True(seen.SetEquals(returned), "the ids producers were given are exactly the ids the consumer saw");
    }
}
