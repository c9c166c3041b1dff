namespace EdgePartition.OpcUa.Types;

/// <summary>Part 4 §7.2 ApplicationType.</summary>
public enum ApplicationType : uint
{
    Server = 0,
    Client = 1,
    ClientAndServer = 2,
    DiscoveryServer = 3,
}

/// <summary>Part 4 §7.20 MessageSecurityMode.</summary>
public enum MessageSecurityMode : uint
{
    Invalid = 0,
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}

/// <summary>Part 4 §7.43 UserTokenType.</summary>
public enum UserTokenType : uint
{
    Anonymous = 0,
    UserName = 1,
    Certificate = 2,
    IssuedToken = 3,
}

/// <summary>An application as FindServers and endpoints describe it (Part 4 §7.1).</summary>
public sealed record ApplicationDescription(
    string? ApplicationUri,
    string? ProductUri,
    LocalizedText ApplicationName,
    ApplicationType ApplicationType,
    string? GatewayServerUri,
    string? DiscoveryProfileUri,
    string?[] DiscoveryUrls);

/// <summary>A way a user may authenticate on an endpoint (Part 4 §7.42).</summary>
public sealed record UserTokenPolicy(
    string? PolicyId, UserTokenType TokenType, string? IssuedTokenType, string? IssuerEndpointUrl, string? SecurityPolicyUri);

/// <summary>One endpoint a server offers (Part 4 §7.14); its URL may name a host the client cannot reach.</summary>
public sealed record EndpointDescription(
    string? EndpointUrl,
    ApplicationDescription Server,
    byte[]? ServerCertificate,
    MessageSecurityMode SecurityMode,
    string? SecurityPolicyUri,
    UserTokenPolicy[] UserIdentityTokens,
    string? TransportProfileUri,
    byte SecurityLevel);
