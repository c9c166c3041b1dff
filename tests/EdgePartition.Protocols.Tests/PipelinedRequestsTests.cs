using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.Protocols.Tests;

public sealed class PipelinedRequestsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task KeepsTheWindowFullAndStoresRepliesThatArriveOutOfOrder()
    {
        RunRepliesInline();
        var peer = new FakePeer(slots: 3);
        var run = PipelinedRequests.RunAsync<FakeRequests, Slot, int>(new FakeRequests(peer, count: 5), window: 3, CancellationToken.None).AsTask();

        Assert.Equal([0, 1, 2], peer.Sent); // three in flight, no more
        peer.Reply(2, 20);
        peer.Reply(1, 10);
        Assert.Equal([0, 1, 2], peer.Sent); // request 0 still outstanding: results are taken in request order
        peer.Reply(0, 0);
        Assert.Equal([0, 1, 2, 3, 4], peer.Sent);
        peer.Reply(4, 40);
        peer.Reply(3, 30);
        await run.WaitAsync(Bound);

        Assert.Equal([0, 10, 20, 30, 40], peer.Stored);
        Assert.Equal(3, peer.FreeSlots);
    }

    [Fact]
    public async Task FirstFailureStopsSendingDrainsTheRestAndIsThrown()
    {
        RunRepliesInline();
        var peer = new FakePeer(slots: 2);
        var run = PipelinedRequests.RunAsync<FakeRequests, Slot, int>(new FakeRequests(peer, count: 6), window: 2, CancellationToken.None).AsTask();

        var broken = new IOException("connection reset");
        peer.Fail(0, broken);
        peer.Reply(1, 10);
        var thrown = await Assert.ThrowsAsync<IOException>(() => run.WaitAsync(Bound));

        Assert.Same(broken, thrown);
        Assert.Equal([0, 1], peer.Sent);
        Assert.Equal(2, peer.FreeSlots);
    }

    [Fact]
    public async Task AnErrorAcceptedAsARequestResultLetsTheRunGoOn()
    {
        RunRepliesInline();
        var peer = new FakePeer(slots: 1) { AcceptRefusals = true };
        var run = PipelinedRequests.RunAsync<FakeRequests, Slot, int>(new FakeRequests(peer, count: 3), window: 1, CancellationToken.None).AsTask();

        peer.Reply(0, 0);
        peer.Fail(1, new InvalidOperationException("refused"));
        peer.Reply(2, 20);
        await run.WaitAsync(Bound);

        Assert.Equal([0, -1, 20], peer.Stored);
    }

    [Fact]
    public async Task AnEncodingErrorReturnsTheSlotAndStopsTheRun()
    {
        RunRepliesInline();
        var peer = new FakePeer(slots: 2) { FailEncodeAt = 1 };
        var run = PipelinedRequests.RunAsync<FakeRequests, Slot, int>(new FakeRequests(peer, count: 4), window: 2, CancellationToken.None).AsTask();

        peer.Reply(0, 0);
        await Assert.ThrowsAsync<ArgumentException>(() => run.WaitAsync(Bound));
        Assert.Equal([0], peer.Sent);
        Assert.Equal(2, peer.FreeSlots);
    }

    /// <summary>
    /// Without a synchronization context, completing a reply runs the loop on the test's thread before Reply/Fail
    /// returns, so each step can be asserted without waiting (xUnit's context would defer the loop to the pool).
    /// The async method builder restores the context when the test's synchronous part ends.
    /// </summary>
    private static void RunRepliesInline() => SynchronizationContext.SetSynchronizationContext(null);

    private sealed class Slot
    {
        public int Index { get; set; }

        public TaskCompletionSource<int> Reply { get; set; } = new();
    }

    /// <summary>A channel with a fixed number of slots whose replies the test completes by request index.</summary>
    private sealed class FakePeer(int slots)
    {
        private readonly Stack<Slot> _free = new(Enumerable.Range(0, slots).Select(_ => new Slot()));
        private readonly Dictionary<int, Slot> _inFlight = [];

        public List<int> Sent { get; } = [];

        public List<int> Stored { get; } = [];

        public bool AcceptRefusals { get; init; }

        public int FailEncodeAt { get; init; } = -1;

        public int FreeSlots => _free.Count;

        public bool TryRent([NotNullWhen(true)] out Slot? slot) => _free.TryPop(out slot);

        public void Return(Slot slot) => _free.Push(slot);

        public void OnSent(Slot slot)
        {
            slot.Reply = new TaskCompletionSource<int>();
            _inFlight[slot.Index] = slot;
            Sent.Add(slot.Index);
        }

        public void Reply(int index, int value) => _inFlight[index].Reply.SetResult(value);

        public void Fail(int index, Exception error) => _inFlight[index].Reply.SetException(error);
    }

    private readonly struct FakeRequests(FakePeer peer, int count) : IPipelinedRequests<Slot, int>
    {
        public int Count => count;

        public ValueTask<Slot> RentAsync(CancellationToken cancellationToken) =>
            peer.TryRent(out var slot) ? new(slot) : throw new InvalidOperationException("no free slot");

        public bool TryRent([NotNullWhen(true)] out Slot? slot) => peer.TryRent(out slot);

        public void Return(Slot slot) => peer.Return(slot);

        public int Encode(Slot slot, int index)
        {
            if (index == peer.FailEncodeAt)
            {
                throw new ArgumentException("does not encode");
            }

            slot.Index = index;
            return 1;
        }

        public ValueTask SendAsync(Slot slot, int length, CancellationToken cancellationToken)
        {
            peer.OnSent(slot);
            return ValueTask.CompletedTask;
        }

        public ValueTask<int> ReplyAsync(Slot slot) => new(slot.Reply.Task);

        public void Complete(Slot slot, int index, int reply) => peer.Stored.Add(reply);

        public bool TryAccept(Exception error, int index, bool replyFailed)
        {
            if (peer.AcceptRefusals && error is InvalidOperationException)
            {
                peer.Stored.Add(-1);
                return true;
            }

            return false;
        }
    }
}
