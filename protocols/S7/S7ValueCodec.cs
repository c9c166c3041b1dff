using System.Buffers.Binary;
using System.Text;

namespace EdgePartition.S7;

/// <summary>
/// Encodes and decodes S7 values in PLC byte order (big-endian) over spans. The typed methods allocate nothing
/// (except the strings they return); <see cref="Decode"/> and <see cref="Encode"/> box and are for tools, not for
/// poll loops. Layouts follow the S7 data-type definitions (TIA Portal help "Data types").
/// </summary>
public static partial class S7ValueCodec
{
    private static readonly DateOnly DateEpoch = new(1990, 1, 1);
    private static readonly DateTime DtlMin = new(1970, 1, 1);
    private static readonly DateTime DateAndTimeMin = new(1990, 1, 1);
    private static readonly DateTime DateAndTimeMax = new(2089, 12, 31, 23, 59, 59, 999);

    public static bool GetBool(ReadOnlySpan<byte> source, int bit) => (source[0] & (1 << CheckBit(bit))) != 0;

    public static void SetBool(Span<byte> destination, int bit, bool value)
    {
        int mask = 1 << CheckBit(bit);
        destination[0] = (byte)(value ? destination[0] | mask : destination[0] & ~mask);
    }

    /// <summary>Element <paramref name="index"/> of a packed BOOL array (8 per byte, element 0 in bit 0).</summary>
    public static bool GetBoolArrayElement(ReadOnlySpan<byte> source, int index) => (source[index >> 3] & (1 << (index & 7))) != 0;

    public static void SetBoolArrayElement(Span<byte> destination, int index, bool value) => SetBool(destination[(index >> 3)..], index & 7, value);

    public static byte GetByte(ReadOnlySpan<byte> source) => source[0];

    public static ushort GetWord(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16BigEndian(source);

    public static uint GetDWord(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);

    public static ulong GetLWord(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

    public static sbyte GetSInt(ReadOnlySpan<byte> source) => (sbyte)source[0];

    public static byte GetUSInt(ReadOnlySpan<byte> source) => source[0];

    public static short GetInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt16BigEndian(source);

    public static ushort GetUInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16BigEndian(source);

    public static int GetDInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32BigEndian(source);

    public static uint GetUDInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);

    public static long GetLInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt64BigEndian(source);

    public static ulong GetULInt(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

    public static float GetReal(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadSingleBigEndian(source);

    public static double GetLReal(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadDoubleBigEndian(source);

    /// <summary>CHAR: one byte, read as Latin-1 (the S7 character set is single-byte).</summary>
    public static char GetChar(ReadOnlySpan<byte> source) => (char)source[0];

    public static char GetWChar(ReadOnlySpan<byte> source) => (char)BinaryPrimitives.ReadUInt16BigEndian(source);

    public static TimeSpan GetTime(ReadOnlySpan<byte> source) => TimeSpan.FromMilliseconds(GetDInt(source));

    /// <summary>LTIME: nanoseconds; TimeSpan keeps 100 ns ticks, so the last two digits are dropped.</summary>
    public static TimeSpan GetLTime(ReadOnlySpan<byte> source) => TimeSpan.FromTicks(GetLInt(source) / 100);

    public static void SetByte(Span<byte> destination, byte value) => destination[0] = value;

    public static void SetWord(Span<byte> destination, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(destination, value);

    public static void SetDWord(Span<byte> destination, uint value) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);

    public static void SetLWord(Span<byte> destination, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);

    public static void SetSInt(Span<byte> destination, sbyte value) => destination[0] = (byte)value;

    public static void SetUSInt(Span<byte> destination, byte value) => destination[0] = value;

    public static void SetInt(Span<byte> destination, short value) => BinaryPrimitives.WriteInt16BigEndian(destination, value);

    public static void SetUInt(Span<byte> destination, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(destination, value);

    public static void SetDInt(Span<byte> destination, int value) => BinaryPrimitives.WriteInt32BigEndian(destination, value);

    public static void SetUDInt(Span<byte> destination, uint value) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);

    public static void SetLInt(Span<byte> destination, long value) => BinaryPrimitives.WriteInt64BigEndian(destination, value);

    public static void SetULInt(Span<byte> destination, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);

    public static void SetReal(Span<byte> destination, float value) => BinaryPrimitives.WriteSingleBigEndian(destination, value);

    public static void SetLReal(Span<byte> destination, double value) => BinaryPrimitives.WriteDoubleBigEndian(destination, value);

    public static void SetChar(Span<byte> destination, char value) =>
        destination[0] = value <= 0xFF ? (byte)value : throw new ArgumentOutOfRangeException(nameof(value), "CHAR holds Latin-1 characters only");

    public static void SetWChar(Span<byte> destination, char value) => BinaryPrimitives.WriteUInt16BigEndian(destination, value);

    public static void SetTime(Span<byte> destination, TimeSpan value) => SetDInt(destination, checked((int)(value.Ticks / TimeSpan.TicksPerMillisecond)));

    public static void SetLTime(Span<byte> destination, TimeSpan value) => SetLInt(destination, checked(value.Ticks * 100));

    /// <summary>S5TIME: bits 12-13 time base (10 ms, 100 ms, 1 s, 10 s), bits 0-11 three BCD digits.</summary>
    public static TimeSpan GetS5Time(ReadOnlySpan<byte> source)
    {
        ushort raw = GetWord(source);
        int count = (FromBcd((byte)((raw >> 8) & 0x0F)) * 100) + FromBcd((byte)(raw & 0xFF));
        long baseMs = ((raw >> 12) & 0x3) switch { 0 => 10, 1 => 100, 2 => 1000, _ => 10000 };
        return TimeSpan.FromMilliseconds(count * baseMs);
    }

    /// <summary>Encodes with the finest time base that holds the value (up to 9990 s), truncating to its resolution.</summary>
    public static void SetS5Time(Span<byte> destination, TimeSpan value)
    {
        long ms = (long)value.TotalMilliseconds;
        if (ms < 0 || ms > 9_990_000)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "S5TIME holds 0 to 9990 s");
        }

        int timeBase = 0;
        long unit = 10;
        while (ms / unit > 999)
        {
            timeBase++;
            unit *= 10;
        }

        int count = (int)(ms / unit);
        int raw = (timeBase << 12) | (ToBcd(count / 100) << 8) | ToBcd(count % 100);
        SetWord(destination, (ushort)raw);
    }

    public static DateOnly GetDate(ReadOnlySpan<byte> source) => DateEpoch.AddDays(GetUInt(source));

    public static void SetDate(Span<byte> destination, DateOnly value)
    {
        int days = value.DayNumber - DateEpoch.DayNumber;
        SetUInt(destination, days is >= 0 and <= ushort.MaxValue ? (ushort)days
            : throw new ArgumentOutOfRangeException(nameof(value), value, "DATE holds 1990-01-01 to 2168-12-31"));
    }

    public static TimeOnly GetTimeOfDay(ReadOnlySpan<byte> source)
    {
        uint ms = GetUDInt(source);
        return ms < 86_400_000 ? TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(ms))
            : throw new S7ProtocolException(ProtocolErrorReason.InvalidRequest, $"TIME_OF_DAY value {ms} ms is past midnight.");
    }

    public static void SetTimeOfDay(Span<byte> destination, TimeOnly value) =>
        SetUDInt(destination, (uint)(value.Ticks / TimeSpan.TicksPerMillisecond));

    /// <summary>DATE_AND_TIME: BCD year (90-99 → 19xx, 00-89 → 20xx), month, day, hour, minute, second, 3 ms digits, weekday.</summary>
    public static DateTime GetDateAndTime(ReadOnlySpan<byte> source)
    {
        source = source[..8];
        int year = FromBcd(source[0]);
        year += year >= 90 ? 1900 : 2000;
        int ms = (FromBcd(source[6]) * 10) + (source[7] >> 4);
        try
        {
            return new DateTime(year, FromBcd(source[1]), FromBcd(source[2]), FromBcd(source[3]), FromBcd(source[4]),
                FromBcd(source[5]), ms, DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new S7ProtocolException(ProtocolErrorReason.InvalidRequest, "DATE_AND_TIME bytes are not a valid date.");
        }
    }

    public static void SetDateAndTime(Span<byte> destination, DateTime value)
    {
        if (value < DateAndTimeMin || value > DateAndTimeMax)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "DATE_AND_TIME holds 1990-01-01 to 2089-12-31");
        }

        destination = destination[..8];
        destination[0] = ToBcd(value.Year % 100);
        destination[1] = ToBcd(value.Month);
        destination[2] = ToBcd(value.Day);
        destination[3] = ToBcd(value.Hour);
        destination[4] = ToBcd(value.Minute);
        destination[5] = ToBcd(value.Second);
        destination[6] = ToBcd(value.Millisecond / 10);
        destination[7] = (byte)(((value.Millisecond % 10) << 4) | ((int)value.DayOfWeek + 1));
    }

    /// <summary>DTL: year (word), month, day, weekday (1 = Sunday), hour, minute, second, nanoseconds (dword).</summary>
    public static DateTime GetDtl(ReadOnlySpan<byte> source)
    {
        source = source[..12];
        uint ns = GetUDInt(source[8..]);
        try
        {
            return new DateTime(GetUInt(source), source[2], source[3], source[5], source[6], source[7], DateTimeKind.Unspecified)
                .AddTicks(ns / 100);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new S7ProtocolException(ProtocolErrorReason.InvalidRequest, "DTL bytes are not a valid date.");
        }
    }

    public static void SetDtl(Span<byte> destination, DateTime value)
    {
        if (value < DtlMin)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "DTL holds 1970-01-01 to 2262-04-11");
        }

        destination = destination[..12];
        SetUInt(destination, (ushort)value.Year);
        destination[2] = (byte)value.Month;
        destination[3] = (byte)value.Day;
        destination[4] = (byte)((int)value.DayOfWeek + 1);
        destination[5] = (byte)value.Hour;
        destination[6] = (byte)value.Minute;
        destination[7] = (byte)value.Second;
        SetUDInt(destination[8..], (uint)(value.Ticks % TimeSpan.TicksPerSecond * 100));
    }

    /// <summary>STRING: byte 0 = declared max, byte 1 = actual length (clamped to max and to the span), Latin-1 text.</summary>
    public static string GetString(ReadOnlySpan<byte> source)
    {
        if (source.Length < 2)
        {
            throw new ArgumentException("a STRING needs at least its 2 header bytes", nameof(source));
        }

        int length = Math.Min(Math.Min(source[1], source[0]), source.Length - 2);
        return Encoding.Latin1.GetString(source.Slice(2, length));
    }

    /// <summary>Writes a STRING[<paramref name="maxLength"/>] header and text; throws when the text is longer than max.</summary>
    public static void SetString(Span<byte> destination, int maxLength, ReadOnlySpan<char> value)
    {
        if ((uint)maxLength > 254 || value.Length > maxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"STRING[{maxLength}] cannot hold {value.Length} characters");
        }

        destination[0] = (byte)maxLength;
        destination[1] = (byte)value.Length;
        Encoding.Latin1.GetBytes(value, destination.Slice(2, value.Length));
    }

    /// <summary>WSTRING: word max, word actual length, UTF-16 big-endian characters.</summary>
    public static string GetWString(ReadOnlySpan<byte> source)
    {
        if (source.Length < 4)
        {
            throw new ArgumentException("a WSTRING needs at least its 4 header bytes", nameof(source));
        }

        int length = Math.Min(Math.Min(GetUInt(source[2..]), GetUInt(source)), (source.Length - 4) / 2);
        return Encoding.BigEndianUnicode.GetString(source.Slice(4, length * 2));
    }

    public static void SetWString(Span<byte> destination, int maxLength, ReadOnlySpan<char> value)
    {
        if ((uint)maxLength > 16382 || value.Length > maxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"WSTRING[{maxLength}] cannot hold {value.Length} characters");
        }

        SetUInt(destination, (ushort)maxLength);
        SetUInt(destination[2..], (ushort)value.Length);
        Encoding.BigEndianUnicode.GetBytes(value, destination.Slice(4, value.Length * 2));
    }

    /// <summary>
    /// The numeric value of a numeric, bit-string or time type as a double, without boxing (times in milliseconds,
    /// DATE in days since 1990-01-01, CHAR and WCHAR as their code). False for strings and date-times.
    /// </summary>
    public static bool TryGetNumber(S7DataType type, ReadOnlySpan<byte> source, int bit, out double value)
    {
        value = type switch
        {
            S7DataType.Bool => GetBool(source, bit) ? 1 : 0,
            S7DataType.Byte or S7DataType.USInt or S7DataType.Char => source[0],
            S7DataType.SInt => GetSInt(source),
            S7DataType.Word or S7DataType.UInt or S7DataType.WChar or S7DataType.Date => GetWord(source),
            S7DataType.Int => GetInt(source),
            S7DataType.DWord or S7DataType.UDInt or S7DataType.TimeOfDay => GetDWord(source),
            S7DataType.DInt or S7DataType.Time => GetDInt(source),
            S7DataType.LWord or S7DataType.ULInt => GetLWord(source),
            S7DataType.LInt => GetLInt(source),
            S7DataType.Real => GetReal(source),
            S7DataType.LReal => GetLReal(source),
            S7DataType.LTime => GetLInt(source) / 1e6,
            S7DataType.S5Time => GetS5Time(source).TotalMilliseconds,
            _ => double.NaN,
        };
        return !double.IsNaN(value) || type is S7DataType.Real or S7DataType.LReal;
    }

    /// <summary>
    /// Decodes one value as a boxed CLR value (bool, byte, ushort, uint, ulong, sbyte, short, int, long, float, double,
    /// char, string, TimeSpan, DateOnly, TimeOnly, DateTime). For tools and tests; poll loops use the typed methods.
    /// </summary>
    public static object Decode(S7DataType type, ReadOnlySpan<byte> source, int bit = 0) => type switch
    {
        S7DataType.Bool => GetBool(source, bit),
        S7DataType.Byte => GetByte(source),
        S7DataType.Word => GetWord(source),
        S7DataType.DWord => GetDWord(source),
        S7DataType.LWord => GetLWord(source),
        S7DataType.SInt => GetSInt(source),
        S7DataType.USInt => GetUSInt(source),
        S7DataType.Int => GetInt(source),
        S7DataType.UInt => GetUInt(source),
        S7DataType.DInt => GetDInt(source),
        S7DataType.UDInt => GetUDInt(source),
        S7DataType.LInt => GetLInt(source),
        S7DataType.ULInt => GetULInt(source),
        S7DataType.Real => GetReal(source),
        S7DataType.LReal => GetLReal(source),
        S7DataType.Char => GetChar(source),
        S7DataType.WChar => GetWChar(source),
        S7DataType.String => GetString(source),
        S7DataType.WString => GetWString(source),
        S7DataType.Time => GetTime(source),
        S7DataType.LTime => GetLTime(source),
        S7DataType.S5Time => GetS5Time(source),
        S7DataType.Date => GetDate(source),
        S7DataType.TimeOfDay => GetTimeOfDay(source),
        S7DataType.DateAndTime => GetDateAndTime(source),
        S7DataType.Dtl => GetDtl(source),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown S7 data type"),
    };

    /// <summary>
    /// Encodes a boxed value (anything <see cref="Convert"/> turns into the type) into <paramref name="destination"/>.
    /// BOOL changes only <paramref name="bit"/>; STRING/WSTRING use <paramref name="stringLength"/> as declared max.
    /// </summary>
    public static void Encode(S7DataType type, object value, Span<byte> destination, int bit = 0, int stringLength = S7DataTypes.DefaultStringLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        switch (type)
        {
            case S7DataType.Bool: SetBool(destination, bit, Convert.ToBoolean(value, culture)); break;
            case S7DataType.Byte or S7DataType.USInt: destination[0] = Convert.ToByte(value, culture); break;
            case S7DataType.Word or S7DataType.UInt: SetWord(destination, Convert.ToUInt16(value, culture)); break;
            case S7DataType.DWord or S7DataType.UDInt: SetDWord(destination, Convert.ToUInt32(value, culture)); break;
            case S7DataType.LWord or S7DataType.ULInt: SetLWord(destination, Convert.ToUInt64(value, culture)); break;
            case S7DataType.SInt: SetSInt(destination, Convert.ToSByte(value, culture)); break;
            case S7DataType.Int: SetInt(destination, Convert.ToInt16(value, culture)); break;
            case S7DataType.DInt: SetDInt(destination, Convert.ToInt32(value, culture)); break;
            case S7DataType.LInt: SetLInt(destination, Convert.ToInt64(value, culture)); break;
            case S7DataType.Real: SetReal(destination, Convert.ToSingle(value, culture)); break;
            case S7DataType.LReal: SetLReal(destination, Convert.ToDouble(value, culture)); break;
            case S7DataType.Char: SetChar(destination, Convert.ToChar(value, culture)); break;
            case S7DataType.WChar: SetWChar(destination, Convert.ToChar(value, culture)); break;
            case S7DataType.String: SetString(destination, stringLength, Convert.ToString(value, culture)); break;
            case S7DataType.WString: SetWString(destination, stringLength, Convert.ToString(value, culture)); break;
            case S7DataType.Time: SetTime(destination, AsTimeSpan(value)); break;
            case S7DataType.LTime: SetLTime(destination, AsTimeSpan(value)); break;
            case S7DataType.S5Time: SetS5Time(destination, AsTimeSpan(value)); break;
            case S7DataType.Date: SetDate(destination, value is DateOnly d ? d : DateOnly.FromDateTime(Convert.ToDateTime(value, culture))); break;
            case S7DataType.TimeOfDay: SetTimeOfDay(destination, value is TimeOnly t ? t : TimeOnly.FromTimeSpan(AsTimeSpan(value))); break;
            case S7DataType.DateAndTime: SetDateAndTime(destination, Convert.ToDateTime(value, culture)); break;
            case S7DataType.Dtl: SetDtl(destination, Convert.ToDateTime(value, culture)); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "unknown S7 data type");
        }
    }

    private static TimeSpan AsTimeSpan(object value) => value switch
    {
        TimeSpan span => span,
        TimeOnly time => time.ToTimeSpan(),
        _ => TimeSpan.FromMilliseconds(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static int CheckBit(int bit) => (uint)bit <= 7 ? bit : throw new ArgumentOutOfRangeException(nameof(bit), bit, "bit must be 0..7");

    private static int FromBcd(byte value) => ((value >> 4) * 10) + (value & 0x0F);

    private static byte ToBcd(int value) => (byte)(((value / 10) << 4) | (value % 10));
}
