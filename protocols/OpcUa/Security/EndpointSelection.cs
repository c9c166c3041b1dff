using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// Picks the endpoint to use from GetEndpoints: the configured policy and mode, or with <c>auto</c> (a null policy
/// or mode) the strongest acceptable one the server offers (policy strength first, then SignAndEncrypt over Sign
/// over None). Deprecated policies only when allowed. Nothing acceptable is an error naming what the server offers.
/// </summary>
public static class EndpointSelection
{
    public const string Auto = "auto";

    public static EndpointDescription Select(
        IReadOnlyList<EndpointDescription> endpoints, SecurityPolicy? policy, MessageSecurityMode? mode, bool allowDeprecated, string endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EndpointDescription? best = null;
        var bestRank = -1;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.TransportProfileUri is { Length: > 0 } transport && !transport.EndsWith("uatcp-uasc-uabinary", StringComparison.Ordinal))
            {
                continue;
            }

            var offered = SecurityPolicy.Find(endpoint.SecurityPolicyUri);
            if (offered is null || (offered.IsDeprecated && !allowDeprecated)
                || (policy is not null && offered != policy) || (mode is not null && endpoint.SecurityMode != mode)
                || endpoint.SecurityMode is not (MessageSecurityMode.None or MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt)
                || (offered.IsNone != (endpoint.SecurityMode == MessageSecurityMode.None)))
            {
                continue;
            }

            var rank = (offered.Strength * 4) + (int)endpoint.SecurityMode;
            if (rank > bestRank)
            {
                best = endpoint;
                bestRank = rank;
            }
        }

        return best ?? throw new OpcUaProtocolException(ProtocolErrorReason.NotSupported,
            $"{endpointUrl} offers no endpoint with security policy {policy?.Name ?? Auto} and mode {mode?.ToString() ?? Auto}"
            + (allowDeprecated ? "" : " (deprecated policies not allowed)") + $"; it offers: {Describe(endpoints)}",
            StatusCodes.BadSecurityPolicyRejected);
    }

    public static string Describe(IReadOnlyList<EndpointDescription> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Count == 0
            ? "nothing"
            : string.Join(", ", endpoints.Select(e => $"{SecurityPolicy.Find(e.SecurityPolicyUri)?.Name ?? e.SecurityPolicyUri}/{e.SecurityMode}").Distinct());
    }
}
