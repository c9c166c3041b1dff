using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

/// <summary>How an <see cref="OpcUaClient"/> connects and what it asks of the server.</summary>
public sealed record OpcUaClientOptions
{
    /// <summary>The endpoint to dial, <c>opc.tcp://host:port[/path]</c>; its host is used even if the server advertises another.</summary>
    public required string EndpointUrl { get; init; }

    /// <summary>Bounds the whole connect: TCP, HEL/ACK, OPN, CreateSession and ActivateSession.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bounds every request; a late response fails the request with reason Timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Requested session timeout; the server revises it.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often an idle connection is checked by reading the server state; null: a third of the session timeout
    /// the server granted. No answer within <see cref="RequestTimeout"/> marks the connection lost.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>References per node a Browse asks for (0 = the server decides); the rest comes through BrowseNext.</summary>
    public uint MaxReferencesPerNode { get; init; } = 1000;

    /// <summary>Nodes per Read request; larger reads are split; the server's own MaxNodesPerRead (read at connect) lowers it further.</summary>
    public int MaxNodesPerRead { get; init; } = 1000;

    public string ApplicationUri { get; init; } = "urn:edgepartition:collector";

    public string SessionName { get; init; } = "EdgePartition";

    public TransportLimits TransportLimits { get; init; } = TransportLimits.ClientDefault;

    /// <summary>The clock of every timeout and delay inside the client (connect, requests, token renewal).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    // Security (issue 14).

    /// <summary>Security policy name ("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss") or "auto" (the strongest offered).</summary>
    public string SecurityPolicy { get; init; } = "None";

    /// <summary>Sign or SignAndEncrypt; null picks the strongest mode the server offers for the policy.</summary>
    public MessageSecurityMode? SecurityMode { get; init; }

    /// <summary>Allows Basic128Rsa15 and Basic256 (SHA-1); off by default.</summary>
    public bool AllowDeprecatedPolicies { get; init; }

    /// <summary>The PKI folder (own/, trusted/, issuers/, rejected/); required for secured policies unless <see cref="Pki"/> is given.</summary>
    public string? PkiFolder { get; init; }

    /// <summary>The certificate stores when they are not one folder (wins over <see cref="PkiFolder"/>).</summary>
    public PkiStore? Pki { get; init; }

    /// <summary>Our certificate with its private key; null loads or creates own/certs/edgepartition.der in the PKI folder.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The passphrase of the private key in own/private (never logged); null for an unencrypted key.</summary>
    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>Accepts and trusts server certificates nobody trusts yet (logged through <see cref="SecurityLog"/>); off by default.</summary>
    public bool AutoAcceptUntrustedCertificates { get; init; }

    /// <summary>Who the session acts as.</summary>
    public UserIdentity Identity { get; init; } = UserIdentity.Anonymous;

    /// <summary>Told about security events worth a log line (certificate created, certificate auto-accepted); never secrets.</summary>
    public Action<string>? SecurityLog { get; init; }
}
