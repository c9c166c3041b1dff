using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>GetEndpoints and FindServers (Part 4 §5.4.4, §5.4.2).</summary>
internal static class DiscoveryMessages
{
    public static readonly RequestMessage<GetEndpointsRequest> GetEndpointsRequestCodec = new(
        ServiceIds.GetEndpointsRequest,
        "GetEndpoints",
        static (w, r) =>
        {
            w.WriteString(r.EndpointUrl);
            ArrayCodec.WriteStrings(w, r.LocaleIds);
            ArrayCodec.WriteStrings(w, r.ProfileUris);
        },
        static (ref UaReader r) => new GetEndpointsRequest(r.ReadString(), ArrayCodec.ReadStrings(ref r), ArrayCodec.ReadStrings(ref r)));

    public static readonly ResponseMessage<EndpointDescription[]> GetEndpointsResponseCodec = new(
        ServiceIds.GetEndpointsResponse,
        "GetEndpoints",
        static (w, r) => ArrayCodec.Write(w, r, DiscoveryStructureCodec.WriteEndpoint),
        static (ref UaReader r) => ArrayCodec.Read(ref r, DiscoveryStructureCodec.ReadEndpoint, 40));

    public static readonly RequestMessage<FindServersRequest> FindServersRequestCodec = new(
        ServiceIds.FindServersRequest,
        "FindServers",
        static (w, r) =>
        {
            w.WriteString(r.EndpointUrl);
            ArrayCodec.WriteStrings(w, r.LocaleIds);
            ArrayCodec.WriteStrings(w, r.ServerUris);
        },
        static (ref UaReader r) => new FindServersRequest(r.ReadString(), ArrayCodec.ReadStrings(ref r), ArrayCodec.ReadStrings(ref r)));

    public static readonly ResponseMessage<ApplicationDescription[]> FindServersResponseCodec = new(
        ServiceIds.FindServersResponse,
        "FindServers",
        static (w, r) => ArrayCodec.Write(w, r, DiscoveryStructureCodec.WriteApplication),
        static (ref UaReader r) => ArrayCodec.Read(ref r, DiscoveryStructureCodec.ReadApplication, 25));

    /// <summary>The endpoints of the server at <see cref="EndpointUrl"/>, optionally only those of some transport profiles.</summary>
    public sealed record GetEndpointsRequest(string? EndpointUrl, string?[] LocaleIds, string?[] ProfileUris);

    /// <summary>The servers a discovery server (or a server itself) knows, optionally filtered by application URI.</summary>
    public sealed record FindServersRequest(string? EndpointUrl, string?[] LocaleIds, string?[] ServerUris);
}
