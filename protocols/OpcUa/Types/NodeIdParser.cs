using System.Globalization;

namespace EdgePartition.OpcUa.Types;

/// <summary>
/// Parses the NodeId text form of Part 6 §5.3.1.10: an optional <c>ns=&lt;index&gt;;</c> then one of
/// <c>i=</c>, <c>s=</c>, <c>g=</c>, <c>b=</c>. Errors name what is wrong and where, since they reach config users.
/// </summary>
public static class NodeIdParser
{
    public static NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var node, out NodeIdError error))
        {
            throw new FormatException($"invalid NodeId '{text}': {error.Reason}");
        }

        return node;
    }

    public static bool TryParse(string text, out NodeId node, out string error)
    {
        var ok = TryParse(text, out node, out NodeIdError failure);
        error = ok ? string.Empty : failure.Reason;
        return ok;
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NodeId node, out NodeIdError error)
    {
        node = NodeId.Null;
        var rest = text;
        var start = 0;
        ushort ns = 0;
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = rest.IndexOf(';');
            if (semicolon < 0)
            {
                error = new NodeIdError(text.Length, "'ns=' must be followed by an index and ';' (e.g. ns=2;s=Speed)");
                return false;
            }

            if (!ushort.TryParse(rest[3..semicolon], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = new NodeIdError(3, $"namespace index '{rest[3..semicolon]}' is not a number from 0 to 65535");
                return false;
            }

            start = semicolon + 1;
            rest = rest[start..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            error = new NodeIdError(start, "expected an identifier of the form i=, s=, g= or b=");
            return false;
        }

        var value = rest[2..];
        var valueStart = start + 2;
        switch (rest[0])
        {
            case 'i':
                if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
                {
                    error = new NodeIdError(valueStart, $"numeric identifier '{value}' is not a number: a numeric identifier must be 0..4294967295");
                    return false;
                }

                node = new NodeId(ns, numeric);
                break;
            case 's':
                if (value.IsEmpty)
                {
                    error = new NodeIdError(valueStart, "string identifier is empty");
                    return false;
                }

                node = new NodeId(ns, value.ToString());
                break;
            case 'g':
                if (!Guid.TryParse(value, out var guid))
                {
                    error = new NodeIdError(valueStart, $"GUID identifier '{value}' is not a GUID (00000000-0000-0000-0000-000000000000)");
                    return false;
                }

                node = new NodeId(ns, guid);
                break;
            case 'b':
                var bytes = new byte[value.Length];
                if (value.IsEmpty || !Convert.TryFromBase64Chars(value, bytes, out var written))
                {
                    error = new NodeIdError(valueStart, $"opaque identifier '{value}' is not base64 (or is empty)");
                    return false;
                }

                node = new NodeId(ns, bytes[..written]);
                break;
            default:
                error = new NodeIdError(start, $"unknown identifier type '{rest[0]}='; identifier type must be i, s, g or b");
                return false;
        }

        error = default;
        return true;
    }
}
