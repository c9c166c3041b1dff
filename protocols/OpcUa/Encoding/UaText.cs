using System.Text;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>Text decoding shared by the codec.</summary>
internal static class UaText
{
    /// <summary>UTF-8 without BOM that replaces invalid bytes instead of throwing (a bad string is data, not a fault).</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}
