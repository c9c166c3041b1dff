using System.Buffers;
using System.Runtime.CompilerServices;
using EdgePartition.Modbus.Channel;
using EdgePartition.Modbus.Planning;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Modbus.Client;

/// <summary>Reads of a <see cref="ModbusReadPlan"/>, the collector's per-cycle path, with pipelining.</summary>
public sealed partial class ModbusTcpClient
{
    /// <summary>
    /// Executes every request of <paramref name="plan"/>, up to <see cref="ModbusClientOptions.MaxInFlight"/> at once,
    /// into <paramref name="values"/> (at least <see cref="ModbusReadPlan.BufferLength"/> long; bits as 0/1). When
    /// <paramref name="requestResults"/> is given (one per request), exception replies are recorded there and the other
    /// requests go on; without it they throw. Connection errors and timeouts always throw.
    /// </summary>
    public ValueTask ReadAsync(ModbusReadPlan plan, Memory<ushort> values, Memory<ModbusExceptionCode> requestResults = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, plan.BufferLength, nameof(values));
        if (requestResults.Length != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requestResults.Length, plan.Requests.Length, nameof(requestResults));
        }

        if (plan.Requests.Length == 0)
        {
            return default;
        }

        // Straight into the one async method of a poll, whatever the window (1 is requests one after the other). Each
        // async method that suspends takes a pooled box on the caller's thread and gives it back on the reader
        // loop's, and the pool keeps only one per thread and core: the fewer per poll, the fewer fresh ones.
        var window = Math.Min(Options.MaxInFlight, plan.Requests.Length);
        return ReadPlanPipelinedAsync(plan, window, values, requestResults, cancellationToken);
    }

    /// <summary>
    /// Keeps up to <paramref name="window"/> requests of the plan in flight on one connection and takes the replies in
    /// request order. One async method drives the whole window (rather than one per request in flight), so a poll
    /// allocates nothing: several live state machines of one type would outgrow the runtime's per-thread box cache.
    /// After the first error no further request is sent; those in flight are drained so their slots can be reused.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadPlanPipelinedAsync(ModbusReadPlan plan, int window, Memory<ushort> values,
        Memory<ModbusExceptionCode> requestResults, CancellationToken cancellationToken)
    {
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var inFlight = ArrayPool<PendingRequest>.Shared.Rent(window);
        int sent = 0, done = 0;
        Exception? first = null;
        try
        {
            while (true)
            {
                while (first is null && sent < plan.Requests.Length && sent - done < window)
                {
                    PendingRequest? slot;
                    if (sent == done)
                    {
                        try
                        {
                            slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e)
                        {
                            first = e;
                            break;
                        }
                    }
                    else if (!channel.TryRent(out slot))
                    {
                        break; // another caller holds the rest of the window: take a reply first
                    }

                    var request = plan.Requests[sent];
                    var function = request.Table.ReadFunction();
                    int length;
                    try
                    {
                        length = RequestEncoder.Read(slot.RequestPdu, function, request.Start, request.Count);
                    }
                    catch (Exception e)
                    {
                        channel.Return(slot);
                        first = e;
                        break;
                    }

                    inFlight[sent % window] = slot;
                    sent++;
                    // Never throws: a failed send fails the slot, and the reply loop below reports it in request order.
                    await channel.SendAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
                }

                if (done == sent)
                {
                    break;
                }

                var index = done;
                var pending = inFlight[index % window];
                try
                {
                    await pending.AsValueTask().ConfigureAwait(false);
                    var request = plan.Requests[index];
                    var destination = values.Span.Slice(request.BufferOffset, request.Count);
                    var function = request.Table.ReadFunction();
                    if (request.Table.IsBits())
                    {
                        ResponseDecoder.ReadBits(pending.ResponsePdu, function, destination);
                    }
                    else
                    {
                        ResponseDecoder.ReadRegisters(pending.ResponsePdu, function, destination);
                    }

                    if (requestResults.Length != 0)
                    {
                        requestResults.Span[index] = ModbusExceptionCode.None;
                    }
                }
                catch (ModbusException e) when (channel.OnReplyError(e))
                {
                    throw; // not reached: the filter records the error and returns false
                }
                catch (ModbusException e) when (e.Reason == ModbusErrorReason.ExceptionResponse && requestResults.Length != 0)
                {
                    requestResults.Span[index] = e.ExceptionCode;
                }
                catch (Exception e)
                {
                    first ??= e;
                }
                finally
                {
                    inFlight[index % window] = null!;
                    done++;
                    channel.Return(pending);
                }
            }
        }
        finally
        {
            Array.Clear(inFlight, 0, window);
            ArrayPool<PendingRequest>.Shared.Return(inFlight);
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    /// <summary>Reads one request's worth of any table into registers (bits as 0/1).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadWordsChunkAsync(ModbusTable table, ushort start, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        var function = table.ReadFunction();
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = RequestEncoder.Read(slot.RequestPdu, function, start, destination.Length);
            // Send and wait here rather than through ExchangeAsync: one async method (one pooled box) per read.
            await channel.SendAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            await slot.AsValueTask().ConfigureAwait(false);
            if (table.IsBits())
            {
                ResponseDecoder.ReadBits(slot.ResponsePdu, function, destination.Span);
            }
            else
            {
                ResponseDecoder.ReadRegisters(slot.ResponsePdu, function, destination.Span);
            }
        }
        catch (ModbusException e) when (channel.OnReplyError(e))
        {
            throw; // not reached: the filter records the error and returns false
        }
        finally
        {
            channel.Return(slot);
        }
    }
}
