namespace EdgePartition.OpcUa.Types;

/// <summary>
/// A value with its status and timestamps (Part 6 §5.2.2.17); absent timestamps are DateTime.MinValue. The
/// picosecond parts refine a timestamp in 10 ps units (0..9999) and are only sent when that timestamp is.
/// </summary>
public readonly record struct DataValue(Variant Value, uint StatusCode, DateTime SourceTimestamp, DateTime ServerTimestamp)
{
    public ushort SourcePicoseconds { get; init; }

    public ushort ServerPicoseconds { get; init; }

    public static DataValue Of(Variant value) => new(value, StatusCodes.Good, DateTime.MinValue, DateTime.MinValue);
}
