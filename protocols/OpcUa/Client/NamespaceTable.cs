using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

/// <summary>
/// The server's namespace array (Server.NamespaceArray, i=2255) as read at the start of a session: index 0 is
/// always the OPC UA namespace. Node ids written with a namespace URI (<c>nsu=urn:plant;s=Speed</c>, Part 6
/// §5.3.1.10) resolve against it, so a server that reorders its namespaces after a restart does not scramble tags.
/// </summary>
public sealed class NamespaceTable
{
    public const string OpcUaNamespace = "http://opcfoundation.org/UA/";

    private readonly string[] _uris;

    public NamespaceTable(IReadOnlyList<string> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        _uris = [.. uris];
    }

    /// <summary>Before the first read: only the OPC UA namespace is known.</summary>
    public static NamespaceTable Default { get; } = new([OpcUaNamespace]);

    public IReadOnlyList<string> Uris => _uris;

    /// <summary>The index of <paramref name="uri"/>, or -1 when the server does not know it.</summary>
    public int IndexOf(string uri) => Array.IndexOf(_uris, uri);

    /// <summary>The URI of namespace <paramref name="index"/>, or null when out of range.</summary>
    public string? UriOf(ushort index) => index < _uris.Length ? _uris[index] : null;

    /// <summary>
    /// Parses a node id in either form, <c>ns=2;s=Speed</c> or <c>nsu=urn:plant;s=Speed</c>; the second gets
    /// the index the server uses now. Throws <see cref="FormatException"/> naming the problem (unknown URI included).
    /// </summary>
    public NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith("nsu=", StringComparison.Ordinal))
        {
            return NodeIdParser.Parse(text);
        }

        var end = IdentifierStart(text);
        if (end < 0)
        {
            throw new FormatException($"invalid NodeId '{text}': 'nsu=' must be followed by a URI and ';' then i=, s=, g= or b=");
        }

        // Part 6 §5.3.1.10: a ';' inside the URI is written %3B.
        var uri = text[4..end].Replace("%3B", ";", StringComparison.OrdinalIgnoreCase);
        var index = IndexOf(uri);
        if (index < 0)
        {
            throw new FormatException($"invalid NodeId '{text}': the server has no namespace '{uri}' (it has {_uris.Length}: {string.Join(", ", _uris)})");
        }

        var local = NodeIdParser.Parse(text[(end + 1)..]);
        return WithNamespace(local, (ushort)index);
    }

    /// <summary>Resolves an expanded node id from a browse (its URI, when set, wins over its index); null for another server's node.</summary>
    public NodeId? Resolve(ExpandedNodeId node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.ServerIndex != 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(node.NamespaceUri))
        {
            return node.NodeId;
        }

        var index = IndexOf(node.NamespaceUri);
        return index < 0 ? null : WithNamespace(node.NodeId, (ushort)index);
    }

    /// <summary>The text form with the namespace URI instead of the index (stable across server restarts).</summary>
    public string Format(NodeId node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node.ToString();
        if (node.NamespaceIndex == 0 || UriOf(node.NamespaceIndex) is not { } uri)
        {
            return text;
        }

        return $"nsu={uri.Replace(";", "%3B", StringComparison.Ordinal)};{text[(text.IndexOf(';', StringComparison.Ordinal) + 1)..]}";
    }

    private static int IdentifierStart(string text)
    {
        for (var i = 4; i + 2 < text.Length; i++)
        {
            if (text[i] == ';' && text[i + 2] == '=' && text[i + 1] is 'i' or 's' or 'g' or 'b')
            {
                return i;
            }
        }

        return -1;
    }

    private static NodeId WithNamespace(NodeId node, ushort index) => node.Type switch
    {
        NodeIdType.Numeric => new NodeId(index, node.Numeric),
        NodeIdType.String => new NodeId(index, node.Text!),
        NodeIdType.Guid => new NodeId(index, node.Guid),
        _ => new NodeId(index, node.Opaque!),
    };
}
