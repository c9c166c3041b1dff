using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

public sealed partial class OpcUaClient
{
    /// <summary>
    /// Reads the Value attribute of <paramref name="nodes"/> into <paramref name="results"/> (same length), in
    /// requests within the server's MaxNodesPerRead and the option's. A bad node gets its bad status in its DataValue,
    /// not an exception.
    /// </summary>
    public Task ReadAsync(IReadOnlyList<NodeId> nodes, DataValue[] results, CancellationToken cancellationToken) =>
        ReadAsync(nodes, null, results, cancellationToken);

    /// <summary>Reads one attribute per node (<paramref name="attributes"/> parallel to <paramref name="nodes"/>).</summary>
    public Task ReadAttributesAsync(IReadOnlyList<NodeId> nodes, IReadOnlyList<AttributeId> attributes, DataValue[] results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count != nodes.Count)
        {
            throw new ArgumentException("attributes must have one entry per node", nameof(attributes));
        }

        var ids = new uint[attributes.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (uint)attributes[i];
        }

        return ReadAsync(nodes, ids, results, cancellationToken);
    }

    private async Task ReadAsync(IReadOnlyList<NodeId> nodes, IReadOnlyList<uint>? attributes, DataValue[] results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Length != nodes.Count)
        {
            throw new ArgumentException("results must have one slot per node", nameof(results));
        }

        var batch = OperationLimits.Batch(_limits.MaxNodesPerRead, _options.MaxNodesPerRead);
        for (var offset = 0; offset < nodes.Count; offset += batch)
        {
            var count = Math.Min(batch, nodes.Count - offset);
            var request = new AttributeMessages.ReadRequest(AuthenticationToken, nodes, offset, count, _options.RequestTimeout, attributes);
            var body = await SendAsync("Read", AttributeMessages.WriteRead, request, cancellationToken).ConfigureAwait(false);
            try
            {
                AttributeMessages.ReadRead(body, results.AsSpan(offset, count));
            }
            catch (OpcUaProtocolException error) when (ObserveFailure(error))
            {
                throw;
            }
        }
    }

    /// <summary>Writes values (with the exact built-in type the server expects); returns one status per node.</summary>
    public Task<uint[]> WriteAsync(IReadOnlyList<NodeId> nodes, IReadOnlyList<DataValue> values, CancellationToken cancellationToken) =>
        WriteAsync(nodes, values, null, cancellationToken);

    /// <summary>
    /// Writes values; <paramref name="indexRanges"/> (one per node, null entries for whole values) writes part of an
    /// array, e.g. "2" or "2:4" (Part 4 §7.22). Split within the server's MaxNodesPerWrite.
    /// </summary>
    public async Task<uint[]> WriteAsync(
        IReadOnlyList<NodeId> nodes, IReadOnlyList<DataValue> values, IReadOnlyList<string?>? indexRanges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != nodes.Count || (indexRanges is not null && indexRanges.Count != nodes.Count))
        {
            throw new ArgumentException("values and index ranges must have one entry per node", nameof(values));
        }

        var results = new uint[nodes.Count];
        var batch = OperationLimits.Batch(_limits.MaxNodesPerWrite, 0);
        for (var offset = 0; offset < nodes.Count; offset += batch)
        {
            var count = Math.Min(batch, nodes.Count - offset);
            var request = new AttributeMessages.WriteRequest(AuthenticationToken, nodes, values, indexRanges, _options.RequestTimeout, offset, count);
            var body = await SendAsync("Write", AttributeMessages.WriteWrite, request, cancellationToken).ConfigureAwait(false);
            try
            {
                AttributeMessages.ReadWrite(body, results.AsSpan(offset, count));
            }
            catch (OpcUaProtocolException error) when (ObserveFailure(error))
            {
                throw;
            }
        }

        return results;
    }
}
