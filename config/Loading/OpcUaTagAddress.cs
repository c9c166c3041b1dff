using System.Globalization;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Parses OPC UA tag addresses: a NodeId in its string form (the protocol library's parser) or a browse path from
/// the Objects folder (/2:Line1/2:Speed, namespace 0 when no prefix).
/// </summary>
internal static class OpcUaTagAddress
{
    private const string Forms = "neither a NodeId (ns=2;i=15, ns=2;s=Name, i=2258) nor a browse path (/2:Line1/2:Speed)";

    public static bool TryParse(string text, out OpcUaNodeAddress address, out string error)
    {
        address = new OpcUaNodeAddress();
        var s = text.Trim();
        if (s.StartsWith('/'))
        {
            return TryParseBrowsePath(text, s, out address, out error);
        }

        if (!NodeIdParser.TryParse(s, out var node, out NodeIdError failure))
        {
            // Nothing at the start looks like a NodeId: say which two forms are meant.
            error = failure.Position == 0 ? $"'{text}' is {Forms}" : $"'{text}': {failure.Reason}";
            return false;
        }

        address = new OpcUaNodeAddress { Node = node };
        error = "";
        return true;
    }

    private static bool TryParseBrowsePath(string text, string s, out OpcUaNodeAddress address, out string error)
    {
        address = new OpcUaNodeAddress();
        var steps = new List<QualifiedName>();
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

            steps.Add(new QualifiedName(ns, name));
        }

        address = new OpcUaNodeAddress { BrowsePath = steps };
        error = "";
        return true;
    }
}
