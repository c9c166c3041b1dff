using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;
using EdgePartition.Modbus.Data;
using ProtocolTable = EdgePartition.Modbus.ModbusTable;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// Converts between a Modbus tag's registers (or bits, one 0/1 per bit) and its segment slot, honouring the
/// tag's byte order and scaling. Decoding is allocation-free.
/// </summary>
internal sealed class ModbusTagCodec
{
    public ModbusTagCodec(TagMapping tag)
    {
        Tag = tag;
        var address = tag.Config.ModbusAddress ?? throw new InvalidOperationException($"tag '{tag.Config.Name}' has no Modbus address");
        Table = address.Table;
        Address = address.Address;
        Count = tag.Config.ModbusCount;
        Type = ModbusTypeMap.ToProtocol(tag.Config.DataType);
        Order = ModbusTypeMap.ToProtocol(tag.Config.ByteOrder);
        RegistersPerElement = Type switch
        {
            ModbusValueType.Bit => 1,
            ModbusValueType.String => Count,
            _ => ModbusValueTypes.RegisterCount(Type),
        };
    }

    public TagMapping Tag { get; }

    public ProtocolTable Table { get; }

    /// <summary>0-based wire address of the first register or bit.</summary>
    public ushort Address { get; }

    /// <summary>Registers or bits the whole tag spans.</summary>
    public int Count { get; }

    public ModbusValueType Type { get; }

    public ModbusByteOrder Order { get; }

    /// <summary>Registers per element (bits: one "register" holding 0/1 per element).</summary>
    public int RegistersPerElement { get; }

    public void Decode(ReadOnlySpan<ushort> values, SegmentWriter writer)
    {
        var tag = Tag;
        if (Type == ModbusValueType.String)
        {
            Span<byte> latin1 = stackalloc byte[Math.Min(512, values.Length * 2)];
            var length = ModbusRegisterCodec.ReadStringBytes(values, Order, latin1);
            Span<char> text = stackalloc char[latin1.Length];
            for (var i = 0; i < length; i++)
            {
                text[i] = (char)latin1[i];
            }

            writer.SetString(tag.Index, 0, text[..length]);
            return;
        }

        for (var e = 0; e < tag.ArrayLength; e++)
        {
            var regs = values.Slice(e * RegistersPerElement, RegistersPerElement);
            switch (Type)
            {
                case ModbusValueType.Bit:
                    writer.SetBool(tag.Index, e, regs[0] != 0);
                    break;
                case ModbusValueType.Int64 when !tag.IsScaled:
                    writer.SetInt64(tag.Index, e, ModbusRegisterCodec.ReadInt64(regs, Order));
                    break;
                case ModbusValueType.UInt64 when !tag.IsScaled:
                    writer.SetUInt64(tag.Index, e, ModbusRegisterCodec.ReadUInt64(regs, Order));
                    break;
                default:
                    SegmentValues.StageNumber(writer, tag, e, ReadNumber(regs));
                    break;
            }
        }
    }

    private double ReadNumber(ReadOnlySpan<ushort> regs) => Type switch
    {
        ModbusValueType.Int16 => ModbusRegisterCodec.ReadInt16(regs, Order),
        ModbusValueType.UInt16 => ModbusRegisterCodec.ReadUInt16(regs, Order),
        ModbusValueType.Int32 => ModbusRegisterCodec.ReadInt32(regs, Order),
        ModbusValueType.UInt32 => ModbusRegisterCodec.ReadUInt32(regs, Order),
        ModbusValueType.Int64 => ModbusRegisterCodec.ReadInt64(regs, Order),
        ModbusValueType.UInt64 => ModbusRegisterCodec.ReadUInt64(regs, Order),
        ModbusValueType.Float32 => ModbusRegisterCodec.ReadFloat32(regs, Order),
        _ => ModbusRegisterCodec.ReadFloat64(regs, Order),
    };

    /// <summary>Encodes written elements (segment encoding) as registers; strings from their UTF-8 text.</summary>
    /// <returns>Registers to write.</returns>
    public int Encode(ReadOnlySpan<byte> value, Span<ushort> registers)
    {
        if (Type == ModbusValueType.String)
        {
            var text = System.Text.Encoding.UTF8.GetString(value);
            ModbusRegisterCodec.WriteString(text, registers[..Count], Order);
            return Count;
        }

        var slotSize = SegmentValues.ElementSize(Tag.SegmentType);
        var count = value.Length / slotSize;
        for (var e = 0; e < count; e++)
        {
            var slot = value.Slice(e * slotSize, slotSize);
            var dst = registers.Slice(e * RegistersPerElement, RegistersPerElement);
            switch (Type)
            {
                case ModbusValueType.Int64 when !Tag.IsScaled:
                    ModbusRegisterCodec.WriteInt64(SegmentValues.ReadInt64(slot), dst, Order);
                    break;
                case ModbusValueType.UInt64 when !Tag.IsScaled:
                    ModbusRegisterCodec.WriteUInt64((ulong)SegmentValues.ReadInt64(slot), dst, Order);
                    break;
                default:
                    ModbusRegisterCodec.WriteNumber(Type, SegmentValues.ToRaw(Tag, slot), dst, Order, ModbusScaling.Identity);
                    break;
            }
        }

        return count * RegistersPerElement;
    }
}
