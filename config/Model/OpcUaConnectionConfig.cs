namespace EdgePartition.Config;

/// <summary>OPC UA security policies the project knows (OPC UA Part 7 security policy profiles).</summary>
public enum OpcUaSecurityPolicy
{
    None,
    Basic128Rsa15,
    Basic256,
    Basic256Sha256,
    Aes128_Sha256_RsaOaep,
    Aes256_Sha256_RsaPss,
}

/// <summary>Message security mode of the secure channel.</summary>
public enum OpcUaSecurityMode
{
    None,
    Sign,
    SignAndEncrypt,
}

/// <summary>Kind of user identity token presented when the session is activated.</summary>
public enum OpcUaIdentityKind
{
    Anonymous,
    UserName,
    Certificate,
}

/// <summary>The user identity of an OPC UA session.</summary>
public sealed class OpcUaUserIdentity
{
    public OpcUaIdentityKind Kind { get; init; }

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>Absolute path of the user certificate (Certificate kind).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Absolute path of its private key (Certificate kind).</summary>
    public string? PrivateKeyPath { get; init; }

    public static OpcUaUserIdentity Anonymous { get; } = new();
}

/// <summary>Certificate folders of the OPC UA client, absolute paths.</summary>
public sealed class OpcUaPkiConfig
{
    /// <summary>The client's application instance certificate and private key.</summary>
    public required string OwnDirectory { get; init; }

    /// <summary>Trusted server and CA certificates.</summary>
    public required string TrustedDirectory { get; init; }

    /// <summary>CA certificates used only to build chains.</summary>
    public string? IssuersDirectory { get; init; }

    /// <summary>Where rejected server certificates are copied for review.</summary>
    public string? RejectedDirectory { get; init; }
}

/// <summary>An OPC UA server reached over opc.tcp.</summary>
public sealed class OpcUaConnectionConfig : ConnectionConfig
{
    public required string EndpointUrl { get; init; }

    public OpcUaSecurityPolicy SecurityPolicy { get; init; } = OpcUaSecurityPolicy.None;

    /// <summary>The policy's URI, http://opcfoundation.org/UA/SecurityPolicy#NAME.</summary>
    public string SecurityPolicyUri => OpcUaSecurityPolicies.UriOf(SecurityPolicy);

    public OpcUaSecurityMode SecurityMode { get; init; } = OpcUaSecurityMode.None;

    public string ApplicationUri { get; init; } = DefaultApplicationUri;

    public OpcUaUserIdentity Identity { get; init; } = OpcUaUserIdentity.Anonymous;

    /// <summary>Certificate folders; null when none are configured (only possible with policy None).</summary>
    public OpcUaPkiConfig? Pki { get; init; }

    /// <summary>Delay between reconnect attempts.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(30);

    public const string DefaultApplicationUri = "urn:edgepartition:client";
}
