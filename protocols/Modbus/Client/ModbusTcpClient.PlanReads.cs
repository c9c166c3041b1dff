using System.Buffers;
using System.Runtime.CompilerServices;
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
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadAsync(ModbusReadPlan plan, Memory<ushort> values, Memory<ModbusExceptionCode> requestResults = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, plan.BufferLength, nameof(values));
        if (requestResults.Length != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requestResults.Length, plan.Requests.Length, nameof(requestResults));
        }

        var workers = Math.Min(Options.MaxInFlight, plan.Requests.Length);
        if (workers <= 1)
        {
            await ReadPlanShareAsync(plan, 0, 1, values, requestResults, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Worker w executes requests w, w+n, w+2n...: no shared cursor, and n requests in flight.
        var running = ArrayPool<ValueTask>.Shared.Rent(workers);
        try
        {
            for (var w = 0; w < workers; w++)
            {
                running[w] = ReadPlanShareAsync(plan, w, workers, values, requestResults, cancellationToken);
            }

            Exception? first = null;
            for (var w = 0; w < workers; w++)
            {
                try
                {
                    await running[w].ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    first ??= e;
                }
            }

            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
        }
        finally
        {
            Array.Clear(running, 0, workers);
            ArrayPool<ValueTask>.Shared.Return(running);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadPlanShareAsync(ModbusReadPlan plan, int first, int stride, Memory<ushort> values,
        Memory<ModbusExceptionCode> requestResults, CancellationToken cancellationToken)
    {
        for (var i = first; i < plan.Requests.Length; i += stride)
        {
            var request = plan.Requests[i];
            var destination = values.Slice(request.BufferOffset, request.Count);
            if (requestResults.Length == 0)
            {
                await ReadWordsChunkAsync(request.Table, request.Start, destination, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await ReadWordsChunkAsync(request.Table, request.Start, destination, cancellationToken).ConfigureAwait(false);
                requestResults.Span[i] = ModbusExceptionCode.None;
            }
            catch (ModbusException e) when (e.Reason == ModbusErrorReason.ExceptionResponse)
            {
                requestResults.Span[i] = e.ExceptionCode;
            }
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
            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
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
