using EdgePartition.Ipc;

namespace EdgePartition.Northbound.Sparkplug;

/// <summary>Sparkplug B DataType codes (Sparkplug 3.0 §6.4.16); the wire carries them as plain uint32.</summary>
internal enum SparkplugDataType : uint
{
    Unknown = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    UInt8 = 5,
    UInt16 = 6,
    UInt32 = 7,
    UInt64 = 8,
    Float = 9,
    Double = 10,
    Boolean = 11,
    String = 12,
    DateTime = 13,
    Text = 14,
    Bytes = 17,
    Int8Array = 22,
    Int16Array = 23,
    Int32Array = 24,
    Int64Array = 25,
    UInt8Array = 26,
    UInt16Array = 27,
    UInt32Array = 28,
    UInt64Array = 29,
    FloatArray = 30,
    DoubleArray = 31,
    BooleanArray = 32,
    StringArray = 33,
    DateTimeArray = 34,
}

/// <summary>How a segment tag's type maps to a Sparkplug datatype.</summary>
internal static class SparkplugTypes
{
    /// <summary>
    /// The Sparkplug type of a tag; <see cref="SparkplugDataType.Unknown"/> for arrays of Bytes, which Sparkplug
    /// cannot carry (such tags are left out of the births and logged). Durations travel as Int64 nanoseconds.
    /// </summary>
    public static SparkplugDataType Of(TagDescriptor tag)
    {
        var array = tag.ArrayLength > 1;
        return tag.DataType switch
        {
            IpcDataType.Bool => array ? SparkplugDataType.BooleanArray : SparkplugDataType.Boolean,
            IpcDataType.Int8 => array ? SparkplugDataType.Int8Array : SparkplugDataType.Int8,
            IpcDataType.UInt8 => array ? SparkplugDataType.UInt8Array : SparkplugDataType.UInt8,
            IpcDataType.Int16 => array ? SparkplugDataType.Int16Array : SparkplugDataType.Int16,
            IpcDataType.UInt16 => array ? SparkplugDataType.UInt16Array : SparkplugDataType.UInt16,
            IpcDataType.Int32 => array ? SparkplugDataType.Int32Array : SparkplugDataType.Int32,
            IpcDataType.UInt32 => array ? SparkplugDataType.UInt32Array : SparkplugDataType.UInt32,
            IpcDataType.Int64 or IpcDataType.Duration => array ? SparkplugDataType.Int64Array : SparkplugDataType.Int64,
            IpcDataType.UInt64 => array ? SparkplugDataType.UInt64Array : SparkplugDataType.UInt64,
            IpcDataType.Float32 => array ? SparkplugDataType.FloatArray : SparkplugDataType.Float,
            IpcDataType.Float64 => array ? SparkplugDataType.DoubleArray : SparkplugDataType.Double,
            IpcDataType.String => array ? SparkplugDataType.StringArray : SparkplugDataType.String,
            IpcDataType.DateTime => array ? SparkplugDataType.DateTimeArray : SparkplugDataType.DateTime,
            IpcDataType.Bytes => array ? SparkplugDataType.Unknown : SparkplugDataType.Bytes,
            _ => SparkplugDataType.Unknown,
        };
    }

    /// <summary>Segment quality (OPC UA StatusCode style) to the Sparkplug Quality property (§6.4.9.1): 192 GOOD, 500 STALE, 0 BAD.</summary>
    public static int Quality(uint ipcQuality) =>
        IpcQuality.IsGood(ipcQuality) ? QualityGood : IpcQuality.IsUncertain(ipcQuality) ? QualityStale : QualityBad;

    public const int QualityGood = 192;
    public const int QualityStale = 500;
    public const int QualityBad = 0;
}
