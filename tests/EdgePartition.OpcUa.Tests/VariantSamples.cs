using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Builds a random Variant of a given built-in type and shape (scalar, array, matrix) from a seed.</summary>
internal static class VariantSamples
{
    public const int Scalar = 0;
    public const int Array1D = 1;
    public const int Matrix = 2;

    public static Variant Build(BuiltInType type, int shape, int seed)
    {
        var random = new Random(seed);

        // A Variant cannot hold a Variant scalar (Part 6 §5.2.2.16), only arrays of them.
        if (type == BuiltInType.Variant && shape == Scalar)
        {
            shape = Array1D;
        }

        if (shape == Scalar)
        {
            return ScalarOf(type, Element(type, random, 0));
        }

        var dimensions = shape == Matrix ? new[] { random.Next(1, 4), random.Next(1, 4) } : null;
        var length = dimensions is null ? random.Next(0, 6) : dimensions[0] * dimensions[1];
        var array = System.Array.CreateInstance(ElementClrType(type), length);
        for (var i = 0; i < length; i++)
        {
            array.SetValue(Element(type, random, 1), i);
        }

        return dimensions is null ? Variant.FromArray(type, array) : Variant.FromMatrix(type, array, dimensions);
    }

    private static Type ElementClrType(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 or BuiltInType.StatusCode => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.Double => typeof(double),
        BuiltInType.DateTime => typeof(DateTime),
        BuiltInType.Guid => typeof(Guid),
        BuiltInType.String or BuiltInType.XmlElement => typeof(string),
        _ => typeof(object),
    };

    private static Variant ScalarOf(BuiltInType type, object? value) => type switch
    {
        BuiltInType.Boolean => Variant.FromBoolean((bool)value!),
        BuiltInType.SByte => Variant.FromSByte((sbyte)value!),
        BuiltInType.Byte => Variant.FromByte((byte)value!),
        BuiltInType.Int16 => Variant.FromInt16((short)value!),
        BuiltInType.UInt16 => Variant.FromUInt16((ushort)value!),
        BuiltInType.Int32 => Variant.FromInt32((int)value!),
        BuiltInType.UInt32 => Variant.FromUInt32((uint)value!),
        BuiltInType.Int64 => Variant.FromInt64((long)value!),
        BuiltInType.UInt64 => Variant.FromUInt64((ulong)value!),
        BuiltInType.Float => Variant.FromFloat((float)value!),
        BuiltInType.Double => Variant.FromDouble((double)value!),
        BuiltInType.DateTime => Variant.FromDateTime((DateTime)value!),
        BuiltInType.StatusCode => Variant.FromStatusCode((uint)value!),
        BuiltInType.String => Variant.FromString((string?)value),
        BuiltInType.ByteString => Variant.FromByteString((byte[]?)value),
        _ => Variant.FromReference(type, value),
    };

    private static object? Element(BuiltInType type, Random random, int depth) => type switch
    {
        BuiltInType.Boolean => random.Next(2) == 1,
        BuiltInType.SByte => (sbyte)random.Next(),
        BuiltInType.Byte => (byte)random.Next(),
        BuiltInType.Int16 => (short)random.Next(),
        BuiltInType.UInt16 => (ushort)random.Next(),
        BuiltInType.Int32 => random.Next(int.MinValue, int.MaxValue),
        BuiltInType.UInt32 or BuiltInType.StatusCode => (uint)random.NextInt64(0, uint.MaxValue),
        BuiltInType.Int64 => random.NextInt64(long.MinValue, long.MaxValue),
        BuiltInType.UInt64 => (ulong)random.NextInt64(long.MinValue, long.MaxValue),
        BuiltInType.Float => random.Next(4) == 0 ? float.NaN : (float)(random.NextDouble() * 1e6 - 5e5),
        BuiltInType.Double => random.Next(4) == 0 ? double.NegativeInfinity : random.NextDouble() * 1e12 - 5e11,
        BuiltInType.DateTime => random.Next(5) == 0 ? DateTime.MinValue : DateTime.FromFileTimeUtc(random.NextInt64(1, DateTime.MaxValue.ToFileTimeUtc() - 1)),
        BuiltInType.Guid => new Guid(Bytes(random, 16)),
        BuiltInType.String or BuiltInType.XmlElement => Text(random),
        BuiltInType.ByteString => random.Next(4) == 0 ? null : Bytes(random, random.Next(0, 8)),
        BuiltInType.NodeId => Node(random),
        BuiltInType.ExpandedNodeId => new ExpandedNodeId(Node(random), random.Next(2) == 0 ? null : "urn:x:" + random.Next(), (uint)random.Next(0, 3)),
        BuiltInType.QualifiedName => new QualifiedName((ushort)random.Next(0, 5), Text(random)),
        BuiltInType.LocalizedText => new LocalizedText(random.Next(2) == 0 ? null : "en-US", Text(random)),
        BuiltInType.ExtensionObject => random.Next(3) switch
        {
            0 => ExtensionObject.Null,
            1 => new ExtensionObject(new NodeId(2, (uint)random.Next(1000, 2000)), ExtensionObject.BinaryBody, Bytes(random, random.Next(0, 8))),
            _ => ExtensionObject.FromStructure(ValueRange.BinaryEncodingId, new ValueRange(random.NextDouble(), random.NextDouble() * 100)),
        },
        BuiltInType.DataValue => new DataValue(Variant.FromInt32(random.Next()), (uint)random.Next(0, 2) << 31, DateTime.FromFileTimeUtc(random.NextInt64(1, 1L << 60)), DateTime.MinValue)
        {
            SourcePicoseconds = (ushort)random.Next(0, 10000),
        },
        BuiltInType.Variant => Build((BuiltInType)random.Next(1, 14), depth < 2 ? random.Next(0, 2) : Scalar, random.Next()),
        BuiltInType.DiagnosticInfo => new DiagnosticInfo
        {
            SymbolicId = random.Next(2) == 0 ? null : random.Next(),
            LocalizedText = random.Next(2) == 0 ? null : random.Next(),
            AdditionalInfo = random.Next(2) == 0 ? null : Text(random),
            InnerStatusCode = random.Next(2) == 0 ? null : StatusCodes.BadTimeout,
            Inner = depth < 2 && random.Next(2) == 0 ? new DiagnosticInfo { Locale = 3 } : null,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static NodeId Node(Random random) => random.Next(4) switch
    {
        0 => new NodeId((ushort)random.Next(0, 300), (uint)random.NextInt64(0, uint.MaxValue)),
        1 => new NodeId((ushort)random.Next(0, 300), "s" + random.Next()),
        2 => new NodeId((ushort)random.Next(0, 300), new Guid(Bytes(random, 16))),
        _ => new NodeId((ushort)random.Next(0, 300), Bytes(random, random.Next(1, 6))),
    };

    private static string? Text(Random random) => random.Next(5) switch
    {
        0 => null,
        1 => string.Empty,
        _ => "Wert °C 漢字 " + random.Next(),
    };

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
