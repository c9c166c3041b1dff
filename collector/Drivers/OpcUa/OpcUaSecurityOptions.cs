using EdgePartition.Config;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// Turns a device's OPC UA security settings (policy incl. auto, mode, PKI folders, identity, secrets named by file
/// or environment variable) into client options. Secrets are read here, once, and go nowhere but the client.
/// </summary>
internal static class OpcUaSecurityOptions
{
    /// <summary>The options with security applied; a secret or user certificate that cannot be read is an <see cref="InvalidOperationException"/>.</summary>
    public static OpcUaClientOptions Apply(OpcUaClientOptions options, OpcUaConnectionConfig connection)
    {
        var auto = connection.SecurityPolicy == OpcUaSecurityPolicy.Auto;
        MessageSecurityMode? mode = connection.SecurityMode switch
        {
            OpcUaSecurityMode.Sign => MessageSecurityMode.Sign,
            OpcUaSecurityMode.SignAndEncrypt => MessageSecurityMode.SignAndEncrypt,
            _ => auto ? null : MessageSecurityMode.None,
        };
        var pki = connection.Pki;
        return options with
        {
            SecurityPolicy = auto ? EndpointSelection.Auto : connection.SecurityPolicy.ToString(),
            SecurityMode = mode,
            AllowDeprecatedPolicies = connection.AllowDeprecated,
            Pki = pki is null ? null : new PkiStore(pki.OwnDirectory, pki.TrustedDirectory, pki.IssuersDirectory, pki.RejectedDirectory),
            PrivateKeyPassphrase = pki?.Passphrase?.Read(),
            AutoAcceptUntrustedCertificates = pki?.AutoAcceptUntrusted ?? false,
            Identity = Identity(connection.Identity),
            SecurityLog = message => Console.Error.WriteLine($"opcua {connection.EndpointUrl}: {message}"),
        };
    }

    private static UserIdentity Identity(OpcUaUserIdentity identity) => identity.Kind switch
    {
        OpcUaIdentityKind.UserName => UserIdentity.UserName(
            identity.UserName ?? "", identity.Password?.Read() ?? throw new InvalidOperationException("the user name login names no password source")),
        OpcUaIdentityKind.Certificate => UserIdentity.Certificate(
            ApplicationCertificate.Load(identity.CertificatePath!, identity.PrivateKeyPath!, identity.Passphrase?.Read())),
        _ => UserIdentity.Anonymous,
    };
}
