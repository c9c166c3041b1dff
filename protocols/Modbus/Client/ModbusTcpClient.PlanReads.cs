using System.Diagnostics.CodeAnalysis;
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
        // loop's, and the pool keeps only one per thread and core: the fewer per poll, the fewer fresh ones. So when
        // the connection is up (the steady state) the poll is PipelinedRequests.RunAsync itself, with no async
        // method around it; measured, a wrapper made the allocation tests fail one run in two.
        var window = Math.Min(Options.MaxInFlight, plan.Requests.Length);
        var channel = GetChannelAsync(cancellationToken);
        return channel.IsCompletedSuccessfully
            ? PipelinedRequests.RunAsync<PlanReads, PendingRequest, bool>(
                new PlanReads(Options.UnitId, channel.Result, plan, values, requestResults), window, cancellationToken)
            : ConnectThenReadAsync(channel, plan, window, values, requestResults, cancellationToken);
    }

    /// <summary>The plan read when the connection must be made (or waited for) first.</summary>
    private async ValueTask ConnectThenReadAsync(ValueTask<ModbusChannel> connecting, ModbusReadPlan plan, int window,
        Memory<ushort> values, Memory<ModbusExceptionCode> requestResults, CancellationToken cancellationToken)
    {
        var channel = await connecting.ConfigureAwait(false);
        await PipelinedRequests.RunAsync<PlanReads, PendingRequest, bool>(
            new PlanReads(Options.UnitId, channel, plan, values, requestResults), window, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The requests of a read plan as one pipelined run: read requests out, registers and bits into the caller's buffer.</summary>
    private readonly struct PlanReads(byte unitId, ModbusChannel channel, ModbusReadPlan plan, Memory<ushort> values,
        Memory<ModbusExceptionCode> requestResults) : IPipelinedRequests<PendingRequest, bool>
    {
        public int Count => plan.Requests.Length;

        public ValueTask<PendingRequest> RentAsync(CancellationToken cancellationToken) => channel.RentAsync(cancellationToken);

        public bool TryRent([NotNullWhen(true)] out PendingRequest? slot) => channel.TryRent(out slot);

        public void Return(PendingRequest slot) => channel.Return(slot);

        public int Encode(PendingRequest slot, int index)
        {
            var request = plan.Requests[index];
            return RequestEncoder.Read(slot.RequestPdu, request.Table.ReadFunction(), request.Start, request.Count);
        }

        public ValueTask SendAsync(PendingRequest slot, int length, CancellationToken cancellationToken) =>
            channel.SendAsync(slot, unitId, (ModbusFunction)slot.RequestPdu[0], length, cancellationToken); // a PDU starts with its function code

        public ValueTask<bool> ReplyAsync(PendingRequest slot) => slot.Completion;

        public void Complete(PendingRequest slot, int index, bool reply)
        {
            var request = plan.Requests[index];
            var destination = values.Span.Slice(request.BufferOffset, request.Count);
            var function = request.Table.ReadFunction();
            if (request.Table.IsBits())
            {
                ResponseDecoder.ReadBits(slot.ResponsePdu, function, destination);
            }
            else
            {
                ResponseDecoder.ReadRegisters(slot.ResponsePdu, function, destination);
            }

            if (requestResults.Length != 0)
            {
                requestResults.Span[index] = ModbusExceptionCode.None;
            }
        }

        public bool TryAccept(Exception error, int index, bool replyFailed)
        {
            if (error is not ModbusProtocolException modbus)
            {
                return false;
            }

            channel.OnReplyError(modbus);
            if (modbus.Reason == ProtocolErrorReason.PeerRejected && requestResults.Length != 0)
            {
                requestResults.Span[index] = modbus.ExceptionCode;
                return true;
            }

            return false;
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
        catch (ModbusProtocolException e) when (channel.OnReplyError(e))
        {
            throw; // not reached: the filter records the error and returns false
        }
        finally
        {
            channel.Return(slot);
        }
    }
}
