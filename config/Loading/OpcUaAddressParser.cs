using System.Globalization;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Parses OPC UA tag addresses: a NodeId in its string form (OPC UA Part 6, 5.3.1.10: [ns=N;]i=|s=|g=|b=) or a
/// browse path from the Objects folder (/2:Line1/2:Speed, namespace 0 when no prefix).
/// </summary>
internal static class OpcUaAddressParser
{
    public static bool TryParse(string text, out OpcUaNodeAddress address, out string error)
    {
        address = new OpcUaNodeAddress();
        var s = text.Trim();
        return s.StartsWith('/') ? TryParseBrowsePath(text, s, out address, out error) : TryParseNodeId(text, s, out address, out error);
    }

    private static bool TryParseNodeId(string text, string s, out OpcUaNodeAddress address, out string error)
    {
        address = new OpcUaNodeAddress();
        ushort ns = 0;
        if (s.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = s.IndexOf(';');
            if (semicolon < 0 || !ushort.TryParse(s.AsSpan(3, semicolon - 3), NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = $"'{text}': namespace index must be 0..65535 followed by ';' (e.g. ns=2;s=Speed)";
                return false;
            }

            s = s[(semicolon + 1)..];
        }

        if (s.Length < 3 || s[1] != '=')
        {
            error = $"'{text}' is neither a NodeId (ns=2;i=15, ns=2;s=Name, i=2258) nor a browse path (/2:Line1/2:Speed)";
            return false;
        }

        var identifier = s[2..];
        OpcUaIdType type;
        switch (s[0])
        {
            case 'i':
                type = OpcUaIdType.Numeric;
                if (!uint.TryParse(identifier, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    error = $"'{text}': a numeric identifier must be 0..4294967295";
                    return false;
                }

                break;
            case 's':
                type = OpcUaIdType.String;
                break;
            case 'g':
                type = OpcUaIdType.Guid;
                if (!Guid.TryParse(identifier, out _))
                {
                    error = $"'{text}': '{identifier}' is not a GUID";
                    return false;
                }

                break;
            case 'b':
                type = OpcUaIdType.Opaque;
                var buffer = new byte[identifier.Length];
                if (!Convert.TryFromBase64String(identifier, buffer, out _))
                {
                    error = $"'{text}': '{identifier}' is not base64";
                    return false;
                }

                break;
            default:
                error = $"'{text}': identifier type must be i, s, g or b";
                return false;
        }

        address = new OpcUaNodeAddress { NamespaceIndex = ns, IdType = type, Identifier = identifier };
        error = "";
        return true;
    }

    private static bool TryParseBrowsePath(string text, string s, out OpcUaNodeAddress address, out string error)
    {
        address = new OpcUaNodeAddress();
        var steps = new List<OpcUaBrowseStep>();
        foreach (var segment in s[1..].Split('/'))
        {
            if (segment.Length == 0)
            {
                error = $"'{text}': empty browse path step";
                return false;
            }

            var colon = segment.IndexOf(':');
            ushort ns = 0;
            var name = segment;
            if (colon > 0 && ushort.TryParse(segment.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                ns = parsed;
                name = segment[(colon + 1)..];
            }

            if (name.Length == 0)
            {
                error = $"'{text}': browse path step '{segment}' has no name";
                return false;
            }

            steps.Add(new OpcUaBrowseStep(ns, name));
        }

        address = new OpcUaNodeAddress { BrowsePath = steps };
        error = "";
        return true;
    }
}
