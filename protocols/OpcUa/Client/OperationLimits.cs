namespace EdgePartition.OpcUa.Client;

/// <summary>
/// The server's per-call limits (Part 5 §6.3.11 OperationLimits, read once per session); 0 means no limit. The
/// client splits every request to honour them.
/// </summary>
public sealed record OperationLimits(
    uint MaxNodesPerRead,
    uint MaxNodesPerWrite,
    uint MaxNodesPerBrowse,
    uint MaxNodesPerRegisterNodes,
    uint MaxNodesPerTranslateBrowsePathsToNodeIds,
    uint MaxMonitoredItemsPerCall)
{
    /// <summary>A server that advertises nothing: every call unlimited.</summary>
    public static OperationLimits Unlimited { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The node ids of the six variables under Server.ServerCapabilities.OperationLimits, in record order.</summary>
    internal static readonly uint[] VariableIds = [11705, 11707, 11710, 11711, 11712, 11714];

    /// <summary>How many operations fit in one call: the server's limit, further capped by the client's own (0 = none).</summary>
    public static int Batch(uint serverLimit, int clientLimit)
    {
        var limit = serverLimit == 0 || serverLimit > int.MaxValue ? int.MaxValue : (int)serverLimit;
        return clientLimit > 0 ? Math.Min(limit, clientLimit) : limit;
    }
}
