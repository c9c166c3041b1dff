using System.Text;

namespace EdgePartition.S7;

/// <summary>
/// The S7 types in the units the rest of EdgePartition stores them in: durations as signed nanoseconds, dates as
/// nanoseconds since 1970-01-01 (the PLC's clock taken as UTC), text as characters. Collector, sync and endpoints call
/// these so PLC bytes and stored values convert the same way everywhere; nothing here allocates.
/// </summary>
public static partial class S7ValueCodec
{
    private const long NanosecondsPerMillisecond = 1_000_000;
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>TIME, LTIME, S5TIME or TIME_OF_DAY (since midnight) as signed nanoseconds.</summary>
    public static long GetDurationNs(S7DataType type, ReadOnlySpan<byte> source) => type switch
    {
        S7DataType.Time => GetDInt(source) * NanosecondsPerMillisecond,
        S7DataType.LTime => GetLInt(source),
        S7DataType.TimeOfDay => GetUDInt(source) * NanosecondsPerMillisecond,
        S7DataType.S5Time => GetS5Time(source).Ticks * 100,
        _ => throw NotOfKind(type, "a duration"),
    };

    /// <summary>Writes nanoseconds as TIME, LTIME, S5TIME or TIME_OF_DAY, truncated to the type's resolution.</summary>
    public static void SetDurationNs(S7DataType type, Span<byte> destination, long nanoseconds)
    {
        switch (type)
        {
            case S7DataType.Time: SetDInt(destination, checked((int)(nanoseconds / NanosecondsPerMillisecond))); break;
            case S7DataType.LTime: SetLInt(destination, nanoseconds); break;
            case S7DataType.TimeOfDay: SetUDInt(destination, checked((uint)(nanoseconds / NanosecondsPerMillisecond))); break;
            case S7DataType.S5Time: SetS5Time(destination, TimeSpan.FromTicks(nanoseconds / 100)); break;
            default: throw NotOfKind(type, "a duration");
        }
    }

    /// <summary>DATE, DATE_AND_TIME or DTL as nanoseconds since 1970-01-01 (DTL keeps all nine digits).</summary>
    public static long GetUnixNs(S7DataType type, ReadOnlySpan<byte> source)
    {
        switch (type)
        {
            case S7DataType.Date: return ToUnixNs(GetDate(source).ToDateTime(TimeOnly.MinValue));
            case S7DataType.DateAndTime: return ToUnixNs(GetDateAndTime(source));
            case S7DataType.Dtl:
                var whole = GetDtl(source);
                return ToUnixNs(whole.AddTicks(-(whole.Ticks % TimeSpan.TicksPerSecond))) + (GetUDInt(source[8..]) % NanosecondsPerSecond);
            default: throw NotOfKind(type, "a date");
        }
    }

    /// <summary>Writes nanoseconds since 1970 as DATE (the day), DATE_AND_TIME (milliseconds) or DTL (nanoseconds).</summary>
    public static void SetUnixNs(S7DataType type, Span<byte> destination, long unixNs)
    {
        var seconds = Math.DivRem(unixNs, NanosecondsPerSecond, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += NanosecondsPerSecond;
        }

        var value = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(fraction / 100);
        switch (type)
        {
            case S7DataType.Date: SetDate(destination, DateOnly.FromDateTime(value)); break;
            case S7DataType.DateAndTime: SetDateAndTime(destination, value); break;
            case S7DataType.Dtl:
                SetDtl(destination, value);
                SetUDInt(destination[8..], (uint)fraction);
                break;
            default: throw NotOfKind(type, "a date");
        }
    }

    /// <summary>The most characters a STRING[n] / WSTRING[n] holds, which <see cref="GetText"/> may return.</summary>
    public static int MaxTextLength(S7DataType type) => type == S7DataType.WString ? 16382 : 254;

    /// <summary>
    /// The text of a STRING (Latin-1) or WSTRING (UTF-16 big-endian) into <paramref name="destination"/>; the actual
    /// length is clamped to the declared max and to <paramref name="source"/>. Returns the characters written.
    /// </summary>
    public static int GetText(S7DataType type, ReadOnlySpan<byte> source, Span<char> destination)
    {
        if (type == S7DataType.String)
        {
            var length = Math.Min(Math.Min(source[1], source[0]), source.Length - 2);
            return Encoding.Latin1.GetChars(source.Slice(2, length), destination);
        }

        if (type != S7DataType.WString)
        {
            throw NotOfKind(type, "text");
        }

        var count = Math.Min(Math.Min(GetUInt(source[2..]), GetUInt(source)), (source.Length - 4) / 2);
        for (var i = 0; i < count; i++)
        {
            destination[i] = GetWChar(source[(4 + (2 * i))..]);
        }

        return count;
    }

    /// <summary>
    /// Writes STRING[<paramref name="maxLength"/>] (Latin-1, other characters become '?') or WSTRING (UTF-16 BE) with
    /// the text cut to <paramref name="maxLength"/> characters, and zeroes the rest of <paramref name="destination"/>.
    /// Returns the bytes that carry the value (header and used characters).
    /// </summary>
    public static int SetText(S7DataType type, Span<byte> destination, int maxLength, ReadOnlySpan<char> text)
    {
        text = text[..Math.Min(text.Length, maxLength)];
        int used;
        switch (type)
        {
            case S7DataType.String:
                SetString(destination, maxLength, text);
                used = 2 + text.Length;
                break;
            case S7DataType.WString:
                SetWString(destination, maxLength, text);
                used = 4 + (2 * text.Length);
                break;
            default:
                throw NotOfKind(type, "text");
        }

        destination[used..].Clear();
        return used;
    }

    private static long ToUnixNs(DateTime value) => (value.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static ArgumentOutOfRangeException NotOfKind(S7DataType type, string kind) =>
        new(nameof(type), type, $"{type} is not {kind}");
}
