using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;
using static EdgePartition.OpcUa.Services.DiscoveryMessages;

namespace EdgePartition.OpcUa.Client;

/// <summary>
/// The discovery services, which need a channel but no session (Part 4 §5.4): GetEndpoints and FindServers, plus
/// endpoint selection. Each call opens its own channel and closes it.
/// </summary>
public static class OpcUaDiscovery
{
    /// <summary>The endpoints the server at <paramref name="endpointUrl"/> offers, their URLs as the server advertises them.</summary>
    public static async Task<EndpointDescription[]> GetEndpointsAsync(string endpointUrl, OpcUaClientOptions? options, CancellationToken cancellationToken)
    {
        options ??= new OpcUaClientOptions { EndpointUrl = endpointUrl };
        return await CallAsync(endpointUrl, options, GetEndpointsRequestCodec, GetEndpointsResponseCodec,
            new GetEndpointsRequest(endpointUrl, [], []), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The servers a discovery server (or a server itself) knows of.</summary>
    public static async Task<ApplicationDescription[]> FindServersAsync(string endpointUrl, OpcUaClientOptions? options, CancellationToken cancellationToken)
    {
        options ??= new OpcUaClientOptions { EndpointUrl = endpointUrl };
        return await CallAsync(endpointUrl, options, FindServersRequestCodec, FindServersResponseCodec,
            new FindServersRequest(endpointUrl, [], []), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The best endpoint with <paramref name="policyUri"/> and <paramref name="mode"/> (highest security level),
    /// its URL rewritten to the host and port actually dialled: servers often advertise a host name or address the
    /// client cannot reach (a container name, another interface). Null when none matches.
    /// </summary>
    public static EndpointDescription? Select(
        IEnumerable<EndpointDescription> endpoints, string dialedUrl, string policyUri = SecureChannelMessages.NonePolicyUri, MessageSecurityMode mode = MessageSecurityMode.None)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EndpointDescription? best = null;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.SecurityMode == mode && string.Equals(endpoint.SecurityPolicyUri, policyUri, StringComparison.Ordinal)
                && (best is null || endpoint.SecurityLevel > best.SecurityLevel))
            {
                best = endpoint;
            }
        }

        return best is null ? null : best with { EndpointUrl = SubstituteHost(best.EndpointUrl, dialedUrl) };
    }

    /// <summary>The advertised URL's path on the dialled URL's host and port (the advertised URL unchanged if it cannot be parsed).</summary>
    public static string SubstituteHost(string? advertisedUrl, string dialedUrl)
    {
        ArgumentNullException.ThrowIfNull(dialedUrl);
        var dialed = EndpointAddress.Parse(dialedUrl);
        if (advertisedUrl is null || !advertisedUrl.StartsWith("opc.tcp://", StringComparison.OrdinalIgnoreCase))
        {
            return dialedUrl;
        }

        var rest = advertisedUrl["opc.tcp://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var path = slash < 0 ? string.Empty : rest[slash..];
        return $"opc.tcp://{dialed}{path}";
    }

    private static async Task<TResponse> CallAsync<TRequest, TResponse>(
        string endpointUrl, OpcUaClientOptions options, RequestMessage<TRequest> requestMessage, ResponseMessage<TResponse> responseMessage,
        TRequest request, CancellationToken cancellationToken)
    {
        var address = EndpointAddress.Parse(endpointUrl);
        var channel = await UaSecureChannel.OpenAsync(
            address, endpointUrl, options.TransportLimits, options.ConnectTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await channel.RequestAsync(
                requestMessage.Service,
                static (writer, handle, state) => state.Message.Encode(writer, new RequestContext(NodeId.Null, handle, state.Timeout), state.Request),
                (Message: requestMessage, Request: request, Timeout: options.RequestTimeout),
                cancellationToken).ConfigureAwait(false);
            return responseMessage.Decode(body);
        }
        finally
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
