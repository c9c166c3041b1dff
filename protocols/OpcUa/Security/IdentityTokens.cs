using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;
using static EdgePartition.OpcUa.Services.SessionServiceMessages;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// Builds the UserIdentityToken of ActivateSession (Part 4 §7.36) for the token policy the endpoint offers: the
/// policy's securityPolicyUri decides how a password is encrypted and how a user certificate signs, falling back to
/// the channel's policy when empty. A password is encrypted as the legacy secret (UInt32 length ‖ password ‖
/// server nonce) with the server certificate's key, also on a None channel when the token policy asks for it.
/// </summary>
internal static class IdentityTokens
{
    private const uint AnonymousIdentityToken = 321;
    private const uint UserNameIdentityToken = 324;
    private const uint X509IdentityToken = 327;

    /// <summary>The endpoint's token policy for <paramref name="identity"/>, or a clear error naming what it accepts.</summary>
    public static UserTokenPolicy PolicyFor(EndpointDescription endpoint, UserIdentity identity)
    {
        foreach (var policy in endpoint.UserIdentityTokens)
        {
            if (policy.TokenType == identity.TokenType)
            {
                return policy;
            }
        }

        var offered = string.Join(", ", endpoint.UserIdentityTokens.Select(p => p.TokenType).Distinct());
        throw new OpcUaProtocolException(ProtocolErrorReason.NotSupported,
            $"the endpoint {endpoint.SecurityPolicyUri} / {endpoint.SecurityMode} does not accept {identity} logins; it accepts: {offered}", StatusCodes.BadIdentityTokenInvalid);
    }

    /// <summary>The token's security policy: its own URI, or the channel's when it names none.</summary>
    public static SecurityPolicy TokenSecurity(UserTokenPolicy policy, SecurityPolicy channel) =>
        string.IsNullOrEmpty(policy.SecurityPolicyUri)
            ? channel
            : SecurityPolicy.Find(policy.SecurityPolicyUri) ?? throw new OpcUaProtocolException(
                ProtocolErrorReason.NotSupported, $"the user token policy uses unknown security policy {policy.SecurityPolicyUri}", StatusCodes.BadSecurityPolicyRejected);

    /// <summary>The identity token and the user token signature for ActivateSession.</summary>
    public static (ExtensionObject Token, SignatureData Signature) Build(
        UserIdentity identity, UserTokenPolicy policy, SecurityPolicy channelPolicy, MessageSecurityMode channelMode,
        X509Certificate2? serverCertificate, byte[]? serverNonce)
    {
        var writer = new UaWriter(256);
        writer.WriteString(policy.PolicyId);
        switch (identity)
        {
            case UserNameIdentity user:
                {
                    writer.WriteString(user.User);
                    var security = TokenSecurity(policy, channelPolicy);
                    var password = System.Text.Encoding.UTF8.GetBytes(user.Password);
                    try
                    {
                        if (security.IsNone)
                        {
                            if (channelMode != MessageSecurityMode.SignAndEncrypt)
                            {
                                throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied,
                                    $"the server would take the password of {user} unencrypted on a channel that is not encrypted; refused (choose a SignAndEncrypt endpoint)",
                                    StatusCodes.BadSecurityModeInsufficient);
                            }

                            writer.WriteByteString(password);
                            writer.WriteString(null);
                        }
                        else
                        {
                            writer.WriteByteString(EncryptSecret(security, serverCertificate, password, serverNonce));
                            writer.WriteString(security.AsymmetricEncryptionUri);
                        }
                    }
                    finally
                    {
                        System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
                    }

                    return (Wrap(UserNameIdentityToken, writer), SignatureData.None);
                }

            case CertificateIdentity certificate:
                {
                    writer.WriteByteString(certificate.UserCertificate.RawData);
                    var security = TokenSecurity(policy, channelPolicy);
                    if (security.IsNone)
                    {
                        security = SecurityPolicy.Basic256Sha256;
                    }

                    using var key = certificate.UserCertificate.GetRSAPrivateKey()
                        ?? throw new OpcUaProtocolException(ProtocolErrorReason.InvalidRequest, $"{certificate} has no RSA private key");
                    var signature = AsymmetricCrypto.Sign(security, key, Concat(serverCertificate?.RawData, serverNonce));
                    return (Wrap(X509IdentityToken, writer), new SignatureData(security.AsymmetricSignatureUri, signature));
                }

            default:
                return (Wrap(AnonymousIdentityToken, writer), SignatureData.None);
        }
    }

    /// <summary>Legacy encrypted token secret (Part 4 §7.36.2.2): UInt32 length of the rest ‖ secret ‖ server nonce, RSA-encrypted.</summary>
    private static byte[] EncryptSecret(SecurityPolicy security, X509Certificate2? serverCertificate, byte[] secret, byte[]? serverNonce)
    {
        if (serverCertificate is null)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.NotSupported, "the server sent no certificate to encrypt the password with", StatusCodes.BadCertificateInvalid);
        }

        var nonce = serverNonce ?? [];
        var plain = new byte[4 + secret.Length + nonce.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(secret.Length + nonce.Length));
        secret.CopyTo(plain, 4);
        nonce.CopyTo(plain, 4 + secret.Length);
        using var key = serverCertificate.GetRSAPublicKey()!;
        try
        {
            return AsymmetricCrypto.Encrypt(security, key, plain);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
        }
    }

    internal static byte[] Concat(byte[]? first, byte[]? second)
    {
        var a = first ?? [];
        var b = second ?? [];
        var joined = new byte[a.Length + b.Length];
        a.CopyTo(joined, 0);
        b.CopyTo(joined, a.Length);
        return joined;
    }

    private static ExtensionObject Wrap(uint encodingId, UaWriter writer) =>
        new(new NodeId(0, encodingId), ExtensionObject.BinaryBody, writer.Written.ToArray());
}
