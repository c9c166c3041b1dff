using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.Protocols;

/// <summary>
/// The protocol's half of a pipelined run (<see cref="PipelinedRequests.RunAsync{TRequests, TSlot, TReply}"/>): how to
/// take a request slot from the channel, encode and send request <c>index</c>, wait for its reply and store it.
/// Implement it on a struct so the loop is specialised for it and nothing is boxed.
/// </summary>
/// <typeparam name="TSlot">The channel's reusable request slot (buffers, correlation id, completion).</typeparam>
/// <typeparam name="TReply">What a completed slot yields (a reply length, or nothing).</typeparam>
public interface IPipelinedRequests<TSlot, TReply>
    where TSlot : class
{
    /// <summary>The number of requests in the run.</summary>
    int Count { get; }

    /// <summary>Waits for a free slot (only when none of this run's requests is in flight).</summary>
    ValueTask<TSlot> RentAsync(CancellationToken cancellationToken);

    /// <summary>Takes a free slot if there is one; false when other callers hold the rest of the window.</summary>
    bool TryRent([NotNullWhen(true)] out TSlot? slot);

    /// <summary>Gives a slot back to the channel.</summary>
    void Return(TSlot slot);

    /// <summary>Encodes request <paramref name="index"/> into the slot; returns its length.</summary>
    int Encode(TSlot slot, int index);

    /// <summary>Sends the encoded request. Must not throw: a failed send fails the slot, whose reply then reports it.</summary>
    ValueTask SendAsync(TSlot slot, int length, CancellationToken cancellationToken);

    /// <summary>The slot's reply, or its failure (timeout, closed connection, refusal).</summary>
    ValueTask<TReply> ReplyAsync(TSlot slot);

    /// <summary>Decodes and stores the reply of request <paramref name="index"/>; throws when it does not answer the request.</summary>
    void Complete(TSlot slot, int index, TReply reply);

    /// <summary>
    /// Request <paramref name="index"/> failed (its reply or <see cref="Complete"/> threw). True when the error was
    /// recorded as that request's result and the run goes on; false ends the run with it.
    /// </summary>
    bool TryAccept(Exception error, int index, bool replyFailed);
}
