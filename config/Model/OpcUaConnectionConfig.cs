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

    /// <summary>The strongest policy (and mode, unless one is given) the server offers.</summary>
    Auto,
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

    /// <summary>Where the password is read from (UserName kind); the password itself is never in the config.</summary>
    public SecretSource? Password { get; init; }

    /// <summary>Absolute path of the user certificate (Certificate kind).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Absolute path of its private key (Certificate kind).</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>Where the passphrase of an encrypted private key is read from (Certificate kind), or null.</summary>
    public SecretSource? Passphrase { get; init; }

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

    /// <summary>Where the passphrase of the client's private key is read from, or null for an unencrypted key.</summary>
    public SecretSource? Passphrase { get; init; }

    /// <summary>Accept and trust server certificates nobody trusts yet (logged); off by default.</summary>
    public bool AutoAcceptUntrusted { get; init; }
}

/// <summary>An OPC UA server reached over opc.tcp.</summary>
public sealed class OpcUaConnectionConfig : ConnectionConfig
{
    public required string EndpointUrl { get; init; }

    public OpcUaSecurityPolicy SecurityPolicy { get; init; } = OpcUaSecurityPolicy.None;

    /// <summary>The policy's URI, http://opcfoundation.org/UA/SecurityPolicy#NAME.</summary>
    public string SecurityPolicyUri => OpcUaSecurityPolicies.UriOf(SecurityPolicy);

    public OpcUaSecurityMode SecurityMode { get; init; } = OpcUaSecurityMode.None;

    /// <summary>Allows the deprecated policies Basic128Rsa15 and Basic256.</summary>
    public bool AllowDeprecated { get; init; }

    public string ApplicationUri { get; init; } = DefaultApplicationUri;

    public OpcUaUserIdentity Identity { get; init; } = OpcUaUserIdentity.Anonymous;

    /// <summary>Certificate folders; null when none are configured (only possible with policy None).</summary>
    public OpcUaPkiConfig? Pki { get; init; }

    /// <summary>Delay between reconnect attempts.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(30);

    public const string DefaultApplicationUri = "urn:edgepartition:client";
}
