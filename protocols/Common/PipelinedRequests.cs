using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace EdgePartition.Protocols;

/// <summary>
/// The one pipelined request loop of the protocol clients: keeps up to <c>window</c> requests in flight on one
/// connection, whichever order their replies arrive in, and takes the results in request order. After the first
/// failure no further request is sent; those in flight are drained so their slots can be reused, then the failure is
/// thrown.
/// </summary>
public static class PipelinedRequests
{
    /// <summary>
    /// Runs every request of <paramref name="requests"/>. One async method drives the whole window (rather than one per
    /// request in flight) and its box is pooled, so a run allocates nothing in the steady state: several live state
    /// machines of one type would outgrow the runtime's per-thread box cache.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask RunAsync<TRequests, TSlot, TReply>(TRequests requests, int window, CancellationToken cancellationToken)
        where TRequests : struct, IPipelinedRequests<TSlot, TReply>
        where TSlot : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        int count = requests.Count;
        var inFlight = ArrayPool<TSlot>.Shared.Rent(window);
        int sent = 0, done = 0;
        Exception? first = null;
        try
        {
            while (true)
            {
                while (first is null && sent < count && sent - done < window)
                {
                    TSlot? slot;
                    if (sent == done)
                    {
                        try
                        {
                            slot = await requests.RentAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception error)
                        {
                            first = error;
                            break;
                        }
                    }
                    else if (!requests.TryRent(out slot))
                    {
                        break; // another caller holds the rest of the window: take a reply first
                    }

                    int length;
                    try
                    {
                        length = requests.Encode(slot, sent);
                    }
                    catch (Exception error)
                    {
                        requests.Return(slot);
                        first = error;
                        break;
                    }

                    inFlight[sent % window] = slot;
                    sent++;
                    // Never throws: a failed send fails the slot, and the reply below reports it in request order.
                    await requests.SendAsync(slot, length, cancellationToken).ConfigureAwait(false);
                }

                if (done == sent)
                {
                    break;
                }

                int index = done;
                var pending = inFlight[index % window];
                bool replyFailed = true;
                try
                {
                    var reply = await requests.ReplyAsync(pending).ConfigureAwait(false);
                    replyFailed = false;
                    requests.Complete(pending, index, reply);
                }
                catch (Exception error)
                {
                    if (!requests.TryAccept(error, index, replyFailed))
                    {
                        first ??= error;
                    }
                }
                finally
                {
                    inFlight[index % window] = null!;
                    done++;
                    requests.Return(pending);
                }
            }
        }
        finally
        {
            Array.Clear(inFlight, 0, window);
            ArrayPool<TSlot>.Shared.Return(inFlight);
        }

        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }
}
