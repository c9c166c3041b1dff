using System.Runtime.CompilerServices;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Modbus.Client;

/// <summary>The function codes as methods: reads split at the device's limits, writes split at the write limits.</summary>
public sealed partial class ModbusTcpClient
{
    /// <summary>FC 1: reads <c>destination.Length</c> coils from <paramref name="start"/>.</summary>
    public ValueTask ReadCoilsAsync(ushort start, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(ModbusTable.Coils, start, destination, cancellationToken);

    /// <summary>FC 2: reads <c>destination.Length</c> discrete inputs from <paramref name="start"/>.</summary>
    public ValueTask ReadDiscreteInputsAsync(ushort start, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(ModbusTable.DiscreteInputs, start, destination, cancellationToken);

    /// <summary>FC 3: reads <c>destination.Length</c> holding registers from <paramref name="start"/>.</summary>
    public ValueTask ReadHoldingRegistersAsync(ushort start, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(ModbusTable.HoldingRegisters, start, destination, cancellationToken);

    /// <summary>FC 4: reads <c>destination.Length</c> input registers from <paramref name="start"/>.</summary>
    public ValueTask ReadInputRegistersAsync(ushort start, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(ModbusTable.InputRegisters, start, destination, cancellationToken);

    /// <summary>
    /// Reads any table into registers (bits as one 0/1 register each), as many requests as the limits need, one after
    /// the other.
    /// </summary>
    public ValueTask ReadAsync(ModbusTable table, ushort start, Memory<ushort> destination, CancellationToken cancellationToken = default)
    {
        CheckRange(start, destination.Length);
        var max = table.IsBits() ? Options.MaxReadBits : Options.MaxReadRegisters;
        // One request (the usual case): no async method of its own around it, one pooled box less per read.
        return destination.Length <= max
            ? ReadWordsChunkAsync(table, start, destination, cancellationToken)
            : ReadInChunksAsync(table, start, destination, max, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadInChunksAsync(ModbusTable table, ushort start, Memory<ushort> destination, int max, CancellationToken cancellationToken)
    {
        for (var done = 0; done < destination.Length; done += max)
        {
            var count = Math.Min(max, destination.Length - done);
            await ReadWordsChunkAsync(table, (ushort)(start + done), destination.Slice(done, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>FC 5: sets one coil (ON is sent as 0xFF00).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteSingleCoilAsync(ushort address, bool value, CancellationToken cancellationToken = default)
    {
        const ModbusFunction function = ModbusFunction.WriteSingleCoil;
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = RequestEncoder.WriteSingleCoil(slot.RequestPdu, address, value);
            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            ResponseDecoder.CheckEcho(slot.ResponsePdu, function, address, value ? (ushort)0xFF00 : (ushort)0);
        }
        catch (ModbusProtocolException e) when (channel.OnReplyError(e))
        {
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    /// <summary>FC 6: writes one holding register.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteSingleRegisterAsync(ushort address, ushort value, CancellationToken cancellationToken = default)
    {
        const ModbusFunction function = ModbusFunction.WriteSingleRegister;
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = RequestEncoder.WriteSingleRegister(slot.RequestPdu, address, value);
            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            ResponseDecoder.CheckEcho(slot.ResponsePdu, function, address, value);
        }
        catch (ModbusProtocolException e) when (channel.OnReplyError(e))
        {
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    /// <summary>FC 15: writes coils from <paramref name="start"/>, split at <see cref="ModbusClientOptions.MaxWriteBits"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteMultipleCoilsAsync(ushort start, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default)
    {
        CheckRange(start, values.Length);
        for (var done = 0; done < values.Length; done += Options.MaxWriteBits)
        {
            var count = Math.Min(Options.MaxWriteBits, values.Length - done);
            await WriteChunkAsync(ModbusFunction.WriteMultipleCoils, (ushort)(start + done), values.Slice(done, count), default, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>FC 16: writes holding registers from <paramref name="start"/>, split at <see cref="ModbusClientOptions.MaxWriteRegisters"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteMultipleRegistersAsync(ushort start, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        CheckRange(start, values.Length);
        for (var done = 0; done < values.Length; done += Options.MaxWriteRegisters)
        {
            var count = Math.Min(Options.MaxWriteRegisters, values.Length - done);
            await WriteChunkAsync(ModbusFunction.WriteMultipleRegisters, (ushort)(start + done), default, values.Slice(done, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// FC 23: writes <paramref name="values"/> at <paramref name="writeStart"/> and reads <c>readDestination.Length</c>
    /// registers from <paramref name="readStart"/> in one transaction (the device writes first). Not split: at most
    /// 125 read and 121 written.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadWriteMultipleRegistersAsync(ushort readStart, Memory<ushort> readDestination, ushort writeStart,
        ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        CheckRange(readStart, readDestination.Length);
        CheckRange(writeStart, values.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(readDestination.Length, ModbusLimits.MaxReadWriteReadRegisters, nameof(readDestination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, ModbusLimits.MaxReadWriteWriteRegisters, nameof(values));
        const ModbusFunction function = ModbusFunction.ReadWriteMultipleRegisters;
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = RequestEncoder.ReadWriteMultipleRegisters(slot.RequestPdu, readStart, readDestination.Length, writeStart, values.Span);
            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            ResponseDecoder.ReadRegisters(slot.ResponsePdu, function, readDestination.Span);
        }
        catch (ModbusProtocolException e) when (channel.OnReplyError(e))
        {
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadBitsAsync(ModbusTable table, ushort start, Memory<bool> destination, CancellationToken cancellationToken)
    {
        CheckRange(start, destination.Length);
        var function = table.ReadFunction();
        for (var done = 0; done < destination.Length; done += Options.MaxReadBits)
        {
            var count = Math.Min(Options.MaxReadBits, destination.Length - done);
            var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
            var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var length = RequestEncoder.Read(slot.RequestPdu, function, (ushort)(start + done), count);
                await channel.SendAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
                await slot.AsValueTask().ConfigureAwait(false);
                ResponseDecoder.ReadBits(slot.ResponsePdu, function, destination.Span.Slice(done, count));
            }
            catch (ModbusProtocolException e) when (channel.OnReplyError(e))
            {
                throw;
            }
            finally
            {
                channel.Return(slot);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteChunkAsync(ModbusFunction function, ushort start, ReadOnlyMemory<bool> bits, ReadOnlyMemory<ushort> registers,
        CancellationToken cancellationToken)
    {
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int length, quantity;
            if (function == ModbusFunction.WriteMultipleCoils)
            {
                length = RequestEncoder.WriteMultipleCoils(slot.RequestPdu, start, bits.Span);
                quantity = bits.Length;
            }
            else
            {
                length = RequestEncoder.WriteMultipleRegisters(slot.RequestPdu, start, registers.Span);
                quantity = registers.Length;
            }

            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            ResponseDecoder.CheckEcho(slot.ResponsePdu, function, start, (ushort)quantity);
        }
        catch (ModbusProtocolException e) when (channel.OnReplyError(e))
        {
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    private static void CheckRange(ushort start, int count)
    {
        if (count < 1 || start + count > ModbusLimits.TableSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} elements from address {start} is empty or runs past address 65535");
        }
    }
}
