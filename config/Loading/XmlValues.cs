using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Typed attribute access over a schema-valid document. The schema has already checked every value's type and
/// range, so these only convert (and fall back to the model's defaults where the schema gives none).
/// </summary>
internal readonly struct XmlValues(string file)
{
    public string File => file;

    public SourceLocation At(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo()
            ? new SourceLocation(file, info.LineNumber, info.LinePosition)
            : new SourceLocation(file, 1, 1);

    /// <summary>Location of the attribute when present, else of its element.</summary>
    public SourceLocation At(XElement element, string attribute) =>
        element.Attribute(attribute) is { } a ? At(a) : At(element);

    public static string? Text(XElement element, string attribute) => element.Attribute(attribute)?.Value;

    public static string Required(XElement element, string attribute) =>
        element.Attribute(attribute)?.Value ?? throw new InvalidOperationException($"schema-valid <{element.Name.LocalName}> lacks '{attribute}'");

    public static int Int(XElement element, string attribute, int fallback) =>
        element.Attribute(attribute) is { } a ? int.Parse(a.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public static int? OptionalInt(XElement element, string attribute) =>
        element.Attribute(attribute) is { } a ? int.Parse(a.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static long? OptionalLong(XElement element, string attribute) =>
        element.Attribute(attribute) is { } a ? long.Parse(a.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static double Double(XElement element, string attribute, double fallback) =>
        element.Attribute(attribute) is { } a ? XmlConvert.ToDouble(a.Value.Trim()) : fallback;

    public static bool Bool(XElement element, string attribute, bool fallback) =>
        element.Attribute(attribute) is { } a ? XmlConvert.ToBoolean(a.Value.Trim()) : fallback;

    public static TimeSpan Milliseconds(XElement element, string attribute, TimeSpan fallback) =>
        element.Attribute(attribute) is { } a ? TimeSpan.FromMilliseconds(int.Parse(a.Value.Trim(), CultureInfo.InvariantCulture)) : fallback;

    public static TEnum Enum<TEnum>(XElement element, string attribute, TEnum fallback)
        where TEnum : struct, Enum =>
        element.Attribute(attribute) is { } a ? System.Enum.Parse<TEnum>(a.Value.Trim(), ignoreCase: true) : fallback;

    /// <summary>A path as written, resolved against the directory of the file that wrote it.</summary>
    public string Path(string written) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file)) ?? "/", written));
}
