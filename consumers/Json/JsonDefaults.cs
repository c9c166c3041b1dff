using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgePartition.Consumers.Json;

/// <summary>
/// One JSON style for every body and message: the relaxed encoder keeps names such as <c>'plc1'</c> and non-ASCII
/// tag text readable for operators using curl. Bodies are served as application/json with nosniff, never inlined
/// into HTML, so HTML-sensitive characters need no escaping; quotes and control characters still are escaped.
/// </summary>
public static class JsonDefaults
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };
}
