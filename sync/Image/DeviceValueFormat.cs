using EdgePartition.Config;
using EdgePartition.Modbus.Data;
using EdgePartition.S7;

namespace EdgePartition.Sync.Image;

/// <summary>
/// How a contribution's device holds its value, worked out from the tag config once when sync binds the
/// contribution, so the merge cycle decides by fields and never compares type names.
/// </summary>
/// <param name="Protocol">The device's protocol.</param>
/// <param name="S7Type">For S7 tags the PLC type, whose bytes <see cref="S7ValueCodec"/> writes; null otherwise.</param>
/// <param name="FloatTarget">The device type is IEEE 754 (REAL, float32, Double, ...), not an integer.</param>
/// <param name="Scale">Engineering scale; with <paramref name="ScaleOffset"/> undone before writing raw.</param>
/// <param name="ScaleOffset">Engineering offset.</param>
/// <param name="StringLength">Declared characters of a string type (S7 STRING[n] / WSTRING[n]).</param>
/// <param name="ModbusOrder">Modbus register byte order (ABCD elsewhere).</param>
internal readonly record struct DeviceValueFormat(
    Protocol Protocol,
    S7DataType? S7Type,
    bool FloatTarget,
    double Scale,
    double ScaleOffset,
    int StringLength,
    ModbusByteOrder ModbusOrder)
{
    public bool Scaled => Scale != 1 || ScaleOffset != 0;

    public static DeviceValueFormat Of(TagConfig tag, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(tag);
        S7DataType? s7 = protocol == Protocol.S7 && S7DataTypes.TryParse(tag.DataType, out var parsed) ? parsed : null;
        var floatTarget = s7 is { } t ? t is S7DataType.Real or S7DataType.LReal : tag.DataType is "float32" or "float64" or "Float" or "Double";
        return new DeviceValueFormat(protocol, s7, floatTarget, tag.Scale, tag.ScaleOffset,
            tag.StringLength ?? S7DataTypes.DefaultStringLength, ToModbus(tag.ByteOrder));
    }

    private static ModbusByteOrder ToModbus(ByteOrder order) => order switch
    {
        ByteOrder.CDAB => ModbusByteOrder.CDAB,
        ByteOrder.BADC => ModbusByteOrder.BADC,
        ByteOrder.DCBA => ModbusByteOrder.DCBA,
        _ => ModbusByteOrder.ABCD,
    };
}
