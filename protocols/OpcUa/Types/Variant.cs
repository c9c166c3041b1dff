namespace EdgePartition.OpcUa.Types;

/// <summary>
/// A value of any built-in type (Part 6 §5.2.2.16): numeric scalars live unboxed in <see cref="Bits"/>; strings,
/// byte strings, node ids and arrays (typed .NET arrays such as <c>double[]</c>) in the reference. A matrix keeps its
/// values flattened (higher-rank dimensions first, as on the wire) plus <see cref="ArrayDimensions"/>.
/// </summary>
public readonly struct Variant
{
    private Variant(BuiltInType type, bool isArray, ulong bits, object? reference, int[]? dimensions = null)
    {
        Type = type;
        IsArray = isArray;
        Bits = bits;
        Reference = reference;
        ArrayDimensions = dimensions;
    }

    public BuiltInType Type { get; }

    public bool IsArray { get; }

    /// <summary>The raw 64-bit payload of a numeric, Boolean, DateTime or StatusCode scalar.</summary>
    public ulong Bits { get; }

    /// <summary>The string, byte[], Guid (boxed), NodeId, other reference value or typed array.</summary>
    public object? Reference { get; }

    /// <summary>The length of each dimension of a matrix (two or more), else null.</summary>
    public int[]? ArrayDimensions { get; }

    public bool IsNull => Type == BuiltInType.Null;

    public static Variant FromBoolean(bool value) => new(BuiltInType.Boolean, false, value ? 1UL : 0UL, null);

    public static Variant FromSByte(sbyte value) => new(BuiltInType.SByte, false, (ulong)value, null);

    public static Variant FromByte(byte value) => new(BuiltInType.Byte, false, value, null);

    public static Variant FromInt16(short value) => new(BuiltInType.Int16, false, (ulong)value, null);

    public static Variant FromUInt16(ushort value) => new(BuiltInType.UInt16, false, value, null);

    public static Variant FromInt32(int value) => new(BuiltInType.Int32, false, (ulong)value, null);

    public static Variant FromUInt32(uint value) => new(BuiltInType.UInt32, false, value, null);

    public static Variant FromInt64(long value) => new(BuiltInType.Int64, false, (ulong)value, null);

    public static Variant FromUInt64(ulong value) => new(BuiltInType.UInt64, false, value, null);

    public static Variant FromFloat(float value) => new(BuiltInType.Float, false, BitConverter.SingleToUInt32Bits(value), null);

    public static Variant FromDouble(double value) => new(BuiltInType.Double, false, BitConverter.DoubleToUInt64Bits(value), null);

    public static Variant FromDateTime(DateTime value) => new(BuiltInType.DateTime, false, (ulong)value.Ticks, null);

    public static Variant FromStatusCode(uint value) => new(BuiltInType.StatusCode, false, value, null);

    public static Variant FromString(string? value) => new(BuiltInType.String, false, 0, value);

    public static Variant FromByteString(byte[]? value) => new(BuiltInType.ByteString, false, 0, value);

    /// <summary>Any other scalar reference type (Guid, NodeId, QualifiedName, LocalizedText, raw bodies).</summary>
    public static Variant FromReference(BuiltInType type, object? value) => new(type, false, 0, value);

    /// <summary>A one-dimensional array: <paramref name="array"/> is the typed .NET array for <paramref name="elementType"/>.</summary>
    public static Variant FromArray(BuiltInType elementType, Array array) => new(elementType, true, 0, array);

    /// <summary>
    /// A matrix: <paramref name="flattened"/> holds the values with the last index varying fastest and
    /// <paramref name="dimensions"/> (two or more) multiply to its length.
    /// </summary>
    public static Variant FromMatrix(BuiltInType elementType, Array flattened, int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        long product = 1;
        foreach (var dimension in dimensions)
        {
            product *= dimension;
        }

        if (dimensions.Length < 2 || product != flattened.Length)
        {
            throw new ArgumentException($"a matrix needs two or more dimensions whose product is the {flattened.Length} values", nameof(dimensions));
        }

        return new(elementType, true, 0, flattened, dimensions);
    }

    public bool AsBoolean() => Bits != 0;

    public long AsInt64() => (long)Bits;

    public ulong AsUInt64() => Bits;

    public float AsFloat() => BitConverter.UInt32BitsToSingle((uint)Bits);

    public double AsDouble() => BitConverter.UInt64BitsToDouble(Bits);

    public DateTime AsDateTime() => new((long)Bits, DateTimeKind.Utc);

    public string? AsString() => Reference as string;

    /// <summary>The value as a double, for any numeric scalar (0 for non-numeric types).</summary>
    public double ToDouble() => Type switch
    {
        BuiltInType.Boolean or BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64 or BuiltInType.StatusCode => Bits,
        BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64 => (long)Bits,
        BuiltInType.Float => AsFloat(),
        BuiltInType.Double => AsDouble(),
        _ => 0,
    };

    public override string ToString() => IsArray
        ? ArrayDimensions is null ? $"{Type}[{((Array)Reference!).Length}]" : $"{Type}[{string.Join(',', ArrayDimensions)}]"
        : Type switch
        {
            BuiltInType.Null => "null",
            BuiltInType.Float or BuiltInType.Double => $"{Type} {ToDouble()}",
            BuiltInType.DateTime => $"DateTime {AsDateTime():O}",
            _ when Reference is null => $"{Type} {ToDouble()}",
            _ => $"{Type} {Reference}",
        };
}
