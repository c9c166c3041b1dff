using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Cli.Commands;

/// <summary>One node met while walking the address space down hierarchical references.</summary>
internal sealed record WalkedNode(NodeId NodeId, string BrowsePath, QualifiedName BrowseName, NodeClass NodeClass, int Depth);

/// <summary>What `browse` shows and `discover` needs of a variable.</summary>
internal sealed record VariableFacts(BuiltInType? Type, int ValueRank, uint[]? ArrayDimensions, byte AccessLevel, DataValue Value)
{
    public bool Readable => (AccessLevel & 1) != 0;

    public bool Writable => (AccessLevel & 2) != 0;

    public string Access => (Readable, Writable) switch
    {
        (true, true) => "RW",
        (true, false) => "R",
        (false, true) => "W",
        _ => "-",
    };
}

/// <summary>
/// Walks an OPC UA address space depth-first from a root along forward hierarchical references (each node once,
/// bounded in depth and count), and reads the facts of variables in batches.
/// </summary>
internal static class OpcUaAddressSpaceWalk
{
    private static readonly AttributeId[] VariableAttributes = [AttributeId.DataType, AttributeId.ValueRank, AttributeId.ArrayDimensions, AttributeId.AccessLevel, AttributeId.Value];

    public static async IAsyncEnumerable<WalkedNode> WalkAsync(
        OpcUaClient client, NodeId root, int maxDepth, int maxNodes, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visited = new HashSet<NodeId> { root };
        var stack = new Stack<WalkedNode>();
        stack.Push(new WalkedNode(root, string.Empty, new QualifiedName(0, root.ToString()), NodeClass.Object, 0));
        var count = 0;
        while (stack.Count > 0 && count < maxNodes)
        {
            var node = stack.Pop();
            if (node.Depth > 0)
            {
                count++;
                yield return node;
            }

            if (node.Depth >= maxDepth || node.NodeClass is not (NodeClass.Object or NodeClass.View))
            {
                continue;
            }

            var children = await client.BrowseAllAsync(
                new BrowseDescription(node.NodeId, BrowseDirection.Forward, new NodeId(0, 33u), true, NodeClass.Object | NodeClass.Variable, BrowseResultMask.All),
                cancellationToken).ConfigureAwait(false);
            // Pushed in reverse so that children come out in the server's order.
            for (var i = children.Count - 1; i >= 0; i--)
            {
                var child = children[i];
                if (client.Namespaces.Resolve(child.NodeId) is not { } id || !visited.Add(id))
                {
                    continue;
                }

                var path = node.Depth == 0 ? child.BrowseName.Name ?? string.Empty : $"{node.BrowsePath}/{child.BrowseName.Name}";
                stack.Push(new WalkedNode(id, path, child.BrowseName, child.NodeClass, node.Depth + 1));
            }
        }
    }

    /// <summary>Data type, value rank, dimensions, access level and value of each variable, in reads within the server's limits.</summary>
    public static async Task<VariableFacts[]> DescribeAsync(OpcUaClient client, IReadOnlyList<NodeId> variables, CancellationToken cancellationToken)
    {
        var nodes = new NodeId[variables.Count * VariableAttributes.Length];
        var attributes = new AttributeId[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = variables[i / VariableAttributes.Length];
            attributes[i] = VariableAttributes[i % VariableAttributes.Length];
        }

        var values = new DataValue[nodes.Length];
        await client.ReadAttributesAsync(nodes, attributes, values, cancellationToken).ConfigureAwait(false);
        var facts = new VariableFacts[variables.Count];
        for (var i = 0; i < facts.Length; i++)
        {
            var at = i * VariableAttributes.Length;
            var value = values[at + 4];
            facts[i] = new VariableFacts(
                TypeOf(values[at].Value.Reference as NodeId, value),
                values[at + 1].Value.Type == BuiltInType.Int32 ? (int)values[at + 1].Value.AsInt64() : -1,
                values[at + 2].Value.Reference as uint[],
                (byte)values[at + 3].Value.AsUInt64(),
                value);
        }

        return facts;
    }

    /// <summary>The built-in type of a variable: from its DataType when that is a built-in one, else from its current value.</summary>
    private static BuiltInType? TypeOf(NodeId? dataType, DataValue value)
    {
        if (dataType is { NamespaceIndex: 0, Type: NodeIdType.Numeric, Numeric: >= 1 and <= 25 })
        {
            return (BuiltInType)dataType.Numeric;
        }

        return dataType is { NamespaceIndex: 0, Type: NodeIdType.Numeric } && StatusCodes.IsGood(value.StatusCode) && value.Value.Type != BuiltInType.Null
            ? value.Value.Type
            : dataType is { NamespaceIndex: 0, Numeric: 290 } ? BuiltInType.Double // Duration
            : dataType is { NamespaceIndex: 0, Numeric: 294 } ? BuiltInType.DateTime // UtcTime
            : null;
    }
}
