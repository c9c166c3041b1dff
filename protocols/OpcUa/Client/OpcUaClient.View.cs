using System.Runtime.CompilerServices;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;
using static EdgePartition.OpcUa.Services.ViewMessages;

namespace EdgePartition.OpcUa.Client;

public sealed partial class OpcUaClient
{
    private const uint HierarchicalReferences = 33;

    /// <summary>
    /// The forward hierarchical children of <paramref name="node"/> (Organizes, HasComponent, HasProperty...), every
    /// field of each reference filled in.
    /// </summary>
    public IAsyncEnumerable<ReferenceDescription> BrowseChildrenAsync(NodeId node, CancellationToken cancellationToken) =>
        BrowseAsync(new BrowseDescription(node, BrowseDirection.Forward, new NodeId(0, HierarchicalReferences), true, NodeClass.Unspecified, BrowseResultMask.All),
            cancellationToken);

    /// <summary>
    /// Browses one node (Part 4 §5.8.2), asking for at most <see cref="OpcUaClientOptions.MaxReferencesPerNode"/>
    /// references per call and following continuation points with BrowseNext. A caller that stops early or is
    /// cancelled leaves no continuation point behind: it is released (BrowseNext with releaseContinuationPoints).
    /// A bad result for the node throws with its status code.
    /// </summary>
    public async IAsyncEnumerable<ReferenceDescription> BrowseAsync(BrowseDescription node, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var request = new BrowseRequest(ViewDescription.Default, _options.MaxReferencesPerNode, [node]);
        var result = Single(await CallAsync(BrowseRequestCodec, BrowseResponseCodec, request, cancellationToken).ConfigureAwait(false), node.NodeId);
        var continuation = result.ContinuationPoint;
        try
        {
            foreach (var reference in result.References)
            {
                yield return reference;
            }

            while (continuation is { Length: > 0 })
            {
                var next = new BrowseNextRequest(false, [continuation]);
                result = Single(await CallAsync(BrowseNextRequestCodec, BrowseNextResponseCodec, next, cancellationToken).ConfigureAwait(false), node.NodeId);
                // The server consumed the point it was given; a new one (or none) comes with the result.
                continuation = result.ContinuationPoint;
                foreach (var reference in result.References)
                {
                    yield return reference;
                }
            }
        }
        finally
        {
            if (continuation is { Length: > 0 })
            {
                await ReleaseContinuationPointAsync(continuation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every reference of <paramref name="node"/> (all continuation points followed).</summary>
    public async Task<IReadOnlyList<ReferenceDescription>> BrowseAllAsync(BrowseDescription node, CancellationToken cancellationToken)
    {
        var references = new List<ReferenceDescription>();
        await foreach (var reference in BrowseAsync(node, cancellationToken).ConfigureAwait(false))
        {
            references.Add(reference);
        }

        return references;
    }

    /// <summary>Resolves browse paths from the Objects folder (each step a namespace-qualified browse name), within MaxNodesPerTranslateBrowsePathsToNodeIds.</summary>
    public async Task<(uint Status, NodeId? Target)[]> TranslateBrowsePathsAsync(
        IReadOnlyList<IReadOnlyList<QualifiedName>> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new (uint, NodeId?)[paths.Count];
        var batch = OperationLimits.Batch(_limits.MaxNodesPerTranslateBrowsePathsToNodeIds, 0);
        for (var offset = 0; offset < paths.Count; offset += batch)
        {
            var count = Math.Min(batch, paths.Count - offset);
            var slice = count == paths.Count ? paths : Slice(paths, offset, count);
            var request = new BrowsePathMessages.TranslateRequest(AuthenticationToken, slice, _options.RequestTimeout);
            var body = await SendAsync("TranslateBrowsePathsToNodeIds", BrowsePathMessages.WriteTranslate, request, cancellationToken).ConfigureAwait(false);
            try
            {
                BrowsePathMessages.ReadTranslate(body, results.AsSpan(offset, count));
            }
            catch (OpcUaProtocolException error) when (ObserveFailure(error))
            {
                throw;
            }
        }

        return results;
    }

    /// <summary>
    /// RegisterNodes (Part 4 §5.8.5): the server may return aliases that are cheaper to read repeatedly; use them until
    /// <see cref="UnregisterNodesAsync"/> or the session ends. Within MaxNodesPerRegisterNodes.
    /// </summary>
    public async Task<NodeId[]> RegisterNodesAsync(IReadOnlyList<NodeId> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var registered = new NodeId[nodes.Count];
        var batch = OperationLimits.Batch(_limits.MaxNodesPerRegisterNodes, 0);
        for (var offset = 0; offset < nodes.Count; offset += batch)
        {
            var count = Math.Min(batch, nodes.Count - offset);
            var aliases = await CallAsync(RegisterNodesRequestCodec, RegisterNodesResponseCodec, Slice(nodes, offset, count), cancellationToken).ConfigureAwait(false);
            if (aliases.Length != count)
            {
                throw OpcUaProtocolException.Malformed($"RegisterNodes returned {aliases.Length} node ids for {count} nodes");
            }

            aliases.CopyTo(registered, offset);
        }

        return registered;
    }

    /// <summary>UnregisterNodes (Part 4 §5.8.6): the aliases from <see cref="RegisterNodesAsync"/> are no longer needed.</summary>
    public async Task UnregisterNodesAsync(IReadOnlyList<NodeId> registered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var batch = OperationLimits.Batch(_limits.MaxNodesPerRegisterNodes, 0);
        for (var offset = 0; offset < registered.Count; offset += batch)
        {
            var count = Math.Min(batch, registered.Count - offset);
            await CallAsync(UnregisterNodesRequestCodec, UnregisterNodesResponseCodec, Slice(registered, offset, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request through a message descriptor: encode, send on the session, decode; failures observed.</summary>
    internal async Task<TResponse> CallAsync<TRequest, TResponse>(
        RequestMessage<TRequest> requestMessage, ResponseMessage<TResponse> responseMessage, TRequest request, CancellationToken cancellationToken)
    {
        var body = await SendAsync(
            requestMessage.Service,
            static (writer, handle, state) => state.Message.Encode(writer, new RequestContext(state.Token, handle, state.Timeout), state.Request),
            (Message: requestMessage, Request: request, Token: AuthenticationToken, Timeout: _options.RequestTimeout),
            cancellationToken).ConfigureAwait(false);
        try
        {
            return responseMessage.Decode(body);
        }
        catch (OpcUaProtocolException error) when (ObserveFailure(error))
        {
            throw;
        }
    }

    private async Task ReleaseContinuationPointAsync(byte[] continuation)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
            await CallAsync(BrowseNextRequestCodec, BrowseNextResponseCodec, new BrowseNextRequest(true, [continuation]), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OpcUaProtocolException or OperationCanceledException)
        {
            // The connection is gone or the server already dropped the point: nothing is held any more.
        }
    }

    private static BrowseResult Single(BrowseResponse response, NodeId node)
    {
        if (response.Results.Length != 1)
        {
            throw OpcUaProtocolException.Malformed($"Browse of {node} returned {response.Results.Length} results for 1 node");
        }

        var result = response.Results[0];
        if (!StatusCodes.IsGood(result.StatusCode))
        {
            throw new OpcUaProtocolException(
                ProtocolErrorReason.PeerRejected, $"Browse of {node}: {StatusCodes.Describe(result.StatusCode)}", result.StatusCode);
        }

        return result;
    }

    private static T[] Slice<T>(IReadOnlyList<T> items, int offset, int count)
    {
        var slice = new T[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[offset + i];
        }

        return slice;
    }
}
