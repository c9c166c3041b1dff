using System.Globalization;
using EdgePartition.Ipc;

namespace EdgePartition.Cli.Shm;

/// <summary>Human-readable text for tag values and times, shared by `shm dump` and `shm watch`.</summary>
internal static class ShmFormat
{
    public static string Value(SegmentSnapshot s, int tag)
    {
        var descriptor = s.Layout.Tag(tag);
        if (descriptor.ArrayLength == 1)
        {
            return Element(s, tag, descriptor.DataType, 0);
        }

        var shown = Math.Min(descriptor.ArrayLength, 16);
        var parts = new string[shown];
        for (var e = 0; e < shown; e++)
        {
            parts[e] = Element(s, tag, descriptor.DataType, e);
        }

        var more = descriptor.ArrayLength > shown ? $", ... ({descriptor.ArrayLength} elements)" : "";
        return "[" + string.Join(", ", parts) + more + "]";
    }

    public static string Time(long unixNs) =>
        unixNs == 0 ? "-" : UnixTime.FromNs(unixNs).ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Liveness(SegmentReader reader) => reader.CheckLiveness() switch
    {
        WriterLiveness.Alive => "alive",
        WriterLiveness.Hung => "HUNG (no heartbeat)",
        WriterLiveness.Gone => "GONE (writer dead)",
        WriterLiveness.Stopped => "stopped",
        WriterLiveness.Superseded => "superseded (re-open)",
        var other => other.ToString(),
    };

    private static string Element(SegmentSnapshot s, int tag, IpcDataType type, int e) => type switch
    {
        IpcDataType.Bool => s.GetBool(tag, e) ? "true" : "false",
        IpcDataType.Int8 => s.GetInt8(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.UInt8 => s.GetUInt8(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.Int16 => s.GetInt16(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.UInt16 => s.GetUInt16(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.Int32 => s.GetInt32(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.UInt32 => s.GetUInt32(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.Int64 => s.GetInt64(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.UInt64 => s.GetUInt64(tag, e).ToString(CultureInfo.InvariantCulture),
        IpcDataType.Float32 => s.GetFloat32(tag, e).ToString("R", CultureInfo.InvariantCulture),
        IpcDataType.Float64 => s.GetFloat64(tag, e).ToString("R", CultureInfo.InvariantCulture),
        IpcDataType.DateTime => Time(s.GetDateTime(tag, e)),
        IpcDataType.Duration => Nanoseconds.ToTimeSpan(s.GetDuration(tag, e)).ToString("c", CultureInfo.InvariantCulture),
        IpcDataType.String => "\"" + s.GetString(tag, e) + "\"",
        IpcDataType.Bytes => Convert.ToHexStringLower(s.GetBytes(tag, e)),
        _ => "?",
    };
}
