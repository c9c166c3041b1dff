using System.Buffers.Binary;
using System.Net;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Modbus.Server;

/// <summary>
/// Executes one request PDU against a <see cref="ModbusDataStore"/> and writes the reply PDU (Application Protocol
/// §6 for the functions, §7 for exceptions). Pure over spans: every field is range-checked before use, and anything
/// malformed becomes an exception reply, never a throw.
/// </summary>
internal sealed class ModbusRequestProcessor(ModbusDataStore store, IModbusWriteHandler? writeHandler, IReadOnlySet<byte>? unitIds)
{
    /// <summary>Returns the reply PDU length written to <paramref name="reply"/> (at most 253 bytes).</summary>
    public int Process(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        var function = pdu[0];
        if (unitIds is not null && !unitIds.Contains(unitId))
        {
            return Exception(reply, function, ModbusExceptionCode.GatewayPathUnavailable);
        }

        return (ModbusFunction)function switch
        {
            ModbusFunction.ReadCoils => ReadBits(ModbusTable.Coils, pdu, reply),
            ModbusFunction.ReadDiscreteInputs => ReadBits(ModbusTable.DiscreteInputs, pdu, reply),
            ModbusFunction.ReadHoldingRegisters => ReadRegisters(ModbusTable.HoldingRegisters, pdu, reply),
            ModbusFunction.ReadInputRegisters => ReadRegisters(ModbusTable.InputRegisters, pdu, reply),
            ModbusFunction.WriteSingleCoil => WriteSingleCoil(client, unitId, pdu, reply),
            ModbusFunction.WriteSingleRegister => WriteSingleRegister(client, unitId, pdu, reply),
            ModbusFunction.WriteMultipleCoils => WriteMultipleCoils(client, unitId, pdu, reply),
            ModbusFunction.WriteMultipleRegisters => WriteMultipleRegisters(client, unitId, pdu, reply),
            ModbusFunction.ReadWriteMultipleRegisters => ReadWriteMultipleRegisters(client, unitId, pdu, reply),
            _ => Exception(reply, function, ModbusExceptionCode.IllegalFunction),
        };
    }

    public static int Exception(Span<byte> reply, byte function, ModbusExceptionCode code)
    {
        reply[0] = (byte)(function | 0x80);
        reply[1] = (byte)code;
        return 2;
    }

    private int ReadBits(ModbusTable table, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (!TryRange(pdu, 5, ModbusLimits.MaxReadBits, out var start, out var count, out var error))
        {
            return Exception(reply, pdu[0], error);
        }

        var byteCount = BitPacking.ByteCount(count);
        reply[0] = pdu[0];
        reply[1] = (byte)byteCount;
        var packed = reply.Slice(2, byteCount);
        packed.Clear();
        lock (store.SyncRoot)
        {
            var bits = store.Bits(table).AsSpan(start, count);
            for (var i = 0; i < bits.Length; i++)
            {
                packed[i >> 3] |= (byte)(bits[i] << (i & 7));
            }
        }

        return 2 + byteCount;
    }

    private int ReadRegisters(ModbusTable table, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (!TryRange(pdu, 5, ModbusLimits.MaxReadRegisters, out var start, out var count, out var error))
        {
            return Exception(reply, pdu[0], error);
        }

        reply[0] = pdu[0];
        reply[1] = (byte)(count * 2);
        lock (store.SyncRoot)
        {
            RequestEncoder.WriteRegisters(reply[2..], store.Registers(table).AsSpan(start, count));
        }

        return 2 + count * 2;
    }

    private int WriteSingleCoil(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (pdu.Length != 5)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var raw = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (raw is not (0xFF00 or 0x0000))
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        ReadOnlySpan<bool> value = [raw == 0xFF00];
        var code = Write(new ModbusWriteRequest(client, unitId, ModbusFunction.WriteSingleCoil, ModbusTable.Coils, address, value, default));
        if (code != ModbusExceptionCode.None)
        {
            return Exception(reply, pdu[0], code);
        }

        pdu[..5].CopyTo(reply);
        return 5;
    }

    private int WriteSingleRegister(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (pdu.Length != 5)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        ReadOnlySpan<ushort> value = [BinaryPrimitives.ReadUInt16BigEndian(pdu[3..])];
        var code = Write(new ModbusWriteRequest(client, unitId, ModbusFunction.WriteSingleRegister, ModbusTable.HoldingRegisters, address, default, value));
        if (code != ModbusExceptionCode.None)
        {
            return Exception(reply, pdu[0], code);
        }

        pdu[..5].CopyTo(reply);
        return 5;
    }

    private int WriteMultipleCoils(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (!TryRange(pdu, -1, ModbusLimits.MaxWriteBits, out var start, out var count, out var error))
        {
            return Exception(reply, pdu[0], error);
        }

        var byteCount = BitPacking.ByteCount(count);
        if (pdu.Length != 6 + byteCount || pdu[5] != byteCount)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<bool> bits = stackalloc bool[count];
        BitPacking.Unpack(pdu.Slice(6, byteCount), bits);
        var code = Write(new ModbusWriteRequest(client, unitId, ModbusFunction.WriteMultipleCoils, ModbusTable.Coils, start, bits, default));
        return code != ModbusExceptionCode.None ? Exception(reply, pdu[0], code) : Echo(pdu, reply);
    }

    private int WriteMultipleRegisters(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        if (!TryRange(pdu, -1, ModbusLimits.MaxWriteRegisters, out var start, out var count, out var error))
        {
            return Exception(reply, pdu[0], error);
        }

        if (pdu.Length != 6 + count * 2 || pdu[5] != count * 2)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<ushort> values = stackalloc ushort[count];
        ReadValues(pdu.Slice(6, count * 2), values);
        var code = Write(new ModbusWriteRequest(client, unitId, ModbusFunction.WriteMultipleRegisters, ModbusTable.HoldingRegisters, start, default, values));
        return code != ModbusExceptionCode.None ? Exception(reply, pdu[0], code) : Echo(pdu, reply);
    }

    private int ReadWriteMultipleRegisters(EndPoint? client, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        // read start, read quantity, write start, write quantity, byte count, values
        if (pdu.Length < 10)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        var readStart = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        int readCount = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        var writeStart = BinaryPrimitives.ReadUInt16BigEndian(pdu[5..]);
        int writeCount = BinaryPrimitives.ReadUInt16BigEndian(pdu[7..]);
        if (readCount is < 1 or > ModbusLimits.MaxReadWriteReadRegisters || writeCount is < 1 or > ModbusLimits.MaxReadWriteWriteRegisters
            || pdu[9] != writeCount * 2 || pdu.Length != 10 + writeCount * 2)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataValue);
        }

        if (readStart + readCount > ModbusLimits.TableSize || writeStart + writeCount > ModbusLimits.TableSize)
        {
            return Exception(reply, pdu[0], ModbusExceptionCode.IllegalDataAddress);
        }

        Span<ushort> values = stackalloc ushort[writeCount];
        ReadValues(pdu.Slice(10, writeCount * 2), values);
        // The write happens before the read (Application Protocol §6.17).
        var code = Write(new ModbusWriteRequest(client, unitId, ModbusFunction.ReadWriteMultipleRegisters, ModbusTable.HoldingRegisters, writeStart, default, values));
        if (code != ModbusExceptionCode.None)
        {
            return Exception(reply, pdu[0], code);
        }

        reply[0] = pdu[0];
        reply[1] = (byte)(readCount * 2);
        lock (store.SyncRoot)
        {
            RequestEncoder.WriteRegisters(reply[2..], store.Registers(ModbusTable.HoldingRegisters).AsSpan(readStart, readCount));
        }

        return 2 + readCount * 2;
    }

    private ModbusExceptionCode Write(in ModbusWriteRequest request)
    {
        ModbusWriteDecision decision;
        try
        {
            decision = writeHandler?.OnWrite(request) ?? ModbusWriteDecision.Apply;
        }
#pragma warning disable CA1031 // A failing handler must not take the client's connection down: the client gets 04.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ModbusExceptionCode.ServerDeviceFailure;
        }

        if (decision.StoreLocally)
        {
            if (request.Table == ModbusTable.Coils)
            {
                store.WriteBits(ModbusTable.Coils, request.Start, request.Bits);
            }
            else
            {
                store.WriteRegisters(ModbusTable.HoldingRegisters, request.Start, request.Registers);
            }
        }

        return decision.Exception;
    }

    /// <summary>
    /// Start and quantity of FC 1-4 (exact length <paramref name="exactLength"/>) or FC 15/16 (length -1: checked by
    /// the caller). Quantity out of 1..max is IllegalDataValue, a range past 65535 IllegalDataAddress (§6.1-§6.4).
    /// </summary>
    private static bool TryRange(ReadOnlySpan<byte> pdu, int exactLength, int max, out ushort start, out int count, out ModbusExceptionCode error)
    {
        start = 0;
        count = 0;
        if (exactLength >= 0 ? pdu.Length != exactLength : pdu.Length < 6)
        {
            error = ModbusExceptionCode.IllegalDataValue;
            return false;
        }

        start = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        count = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (count < 1 || count > max)
        {
            error = ModbusExceptionCode.IllegalDataValue;
            return false;
        }

        if (start + count > ModbusLimits.TableSize)
        {
            error = ModbusExceptionCode.IllegalDataAddress;
            return false;
        }

        error = ModbusExceptionCode.None;
        return true;
    }

    private static int Echo(ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        pdu[..5].CopyTo(reply);
        return 5;
    }

    private static void ReadValues(ReadOnlySpan<byte> data, Span<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
        }
    }
}
