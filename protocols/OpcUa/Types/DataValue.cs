namespace EdgePartition.OpcUa.Types;

/// <summary>A value with its status and timestamps (Part 6 §5.2.2.17); absent timestamps are DateTime.MinValue.</summary>
public readonly record struct DataValue(Variant Value, uint StatusCode, DateTime SourceTimestamp, DateTime ServerTimestamp)
{
    public static DataValue Of(Variant value) => new(value, StatusCodes.Good, DateTime.MinValue, DateTime.MinValue);
}
