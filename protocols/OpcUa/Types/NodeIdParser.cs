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
        if (!TryParse(text, out var node, out var error))
        {
            throw new FormatException($"invalid NodeId '{text}': {error}");
        }

        return node;
    }

    public static bool TryParse(string text, out NodeId node, out string error)
    {
        node = NodeId.Null;
        var rest = text.AsSpan();
        ushort ns = 0;
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = rest.IndexOf(';');
            if (semicolon < 0)
            {
                error = "'ns=' must be followed by an index and ';'";
                return false;
            }

            if (!ushort.TryParse(rest[3..semicolon], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = $"namespace index '{rest[3..semicolon]}' is not a number from 0 to 65535";
                return false;
            }

            rest = rest[(semicolon + 1)..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            error = "expected an identifier of the form i=, s=, g= or b=";
            return false;
        }

        var value = rest[2..];
        switch (rest[0])
        {
            case 'i':
                if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
                {
                    error = $"numeric identifier '{value}' is not a number from 0 to 4294967295";
                    return false;
                }

                node = new NodeId(ns, numeric);
                break;
            case 's':
                if (value.IsEmpty)
                {
                    error = "string identifier is empty";
                    return false;
                }

                node = new NodeId(ns, value.ToString());
                break;
            case 'g':
                if (!Guid.TryParseExact(value, "D", out var guid))
                {
                    error = $"GUID identifier '{value}' is not of the form 00000000-0000-0000-0000-000000000000";
                    return false;
                }

                node = new NodeId(ns, guid);
                break;
            case 'b':
                var bytes = new byte[value.Length];
                if (value.IsEmpty || !Convert.TryFromBase64Chars(value, bytes, out var written))
                {
                    error = $"opaque identifier '{value}' is not non-empty base64";
                    return false;
                }

                node = new NodeId(ns, bytes[..written]);
                break;
            default:
                error = $"unknown identifier type '{rest[0]}=' (expected i, s, g or b)";
                return false;
        }

        error = string.Empty;
        return true;
    }
}
