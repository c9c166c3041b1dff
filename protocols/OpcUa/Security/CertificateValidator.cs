using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// Decides whether a server certificate may be used (Part 4 §6.1.3 certificate validation steps): well-formed and
/// correctly signed, within its validity period, usable for an application (key usage), chained to a certificate
/// in trusted/ (with CAs from issuers/), not revoked by a CRL of its issuer, naming the endpoint's ApplicationUri
/// and the host dialed. Each failure is an <see cref="OpcUaProtocolException"/> with its own status code and the
/// certificate's subject and thumbprint. An untrusted certificate is copied to rejected/; with auto-accept (an
/// explicit, logged option) an untrusted but otherwise valid certificate is accepted and added to trusted/.
/// </summary>
public sealed class CertificateValidator(PkiStore store, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Accept (and trust) a well-formed, valid certificate that no trusted certificate vouches for. Off by default.</summary>
    public bool AutoAcceptUntrusted { get; init; }

    /// <summary>Told when auto-accept takes a certificate in (the caller logs it).</summary>
    public Action<X509Certificate2>? AutoAccepted { get; init; }

    /// <summary>Validates <paramref name="certificate"/> for an endpoint of <paramref name="applicationUri"/> dialed at <paramref name="host"/>.</summary>
    public void Validate(X509Certificate2 certificate, string? applicationUri, string? host)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = _time.GetUtcNow().UtcDateTime;
        var trusted = store.Trusted();
        var issuers = store.Issuers();
        try
        {
            CheckSelfSignature(certificate);
            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                throw Refused(StatusCodes.BadCertificateTimeInvalid, certificate,
                    $"is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now ({now:u})");
            }

            CheckKeyUsage(certificate);
            var chain = BuildChain(certificate, trusted, issuers, now);
            CheckRevocation(chain);
            if (!IsTrusted(chain, trusted))
            {
                if (!AutoAcceptUntrusted)
                {
                    store.Reject(certificate);
                    throw Refused(StatusCodes.BadCertificateUntrusted, certificate,
                        $"is not trusted; it was copied to {store.RejectedCerts}: trust it with 'edgepart opcua trust {certificate.Thumbprint}'");
                }

                store.Trust(certificate);
                AutoAccepted?.Invoke(certificate);
            }

            CheckApplicationUri(certificate, applicationUri);
            CheckHost(certificate, host);
        }
        finally
        {
            foreach (var item in trusted.Concat(issuers))
            {
                item.Dispose();
            }
        }
    }

    private static void CheckSelfSignature(X509Certificate2 certificate)
    {
        // Chain building does not check a trust anchor's own signature; a self-signed certificate is its own anchor.
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && !SignedAsn1.IsSignedBy(certificate.RawData, certificate))
        {
            throw Refused(StatusCodes.BadCertificateInvalid, certificate, "has a signature that does not verify (tampered or corrupt)");
        }
    }

    private static void CheckKeyUsage(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509KeyUsageExtension usage
                && (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment))
                    != (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment))
            {
                throw Refused(StatusCodes.BadCertificateUseNotAllowed, certificate, $"does not allow digitalSignature and keyEncipherment (it allows {usage.KeyUsages})");
            }

            if (extension is X509BasicConstraintsExtension { CertificateAuthority: true } && !certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                throw Refused(StatusCodes.BadCertificateUseNotAllowed, certificate, "is a CA certificate, not an application instance certificate");
            }
        }
    }

    /// <summary>Builds the chain from trusted/ and issuers/; a chain that cannot be completed or verified is refused.</summary>
    private static X509ChainElement[] BuildChain(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> trusted, IReadOnlyList<X509Certificate2> issuers, DateTime now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var item in trusted.Concat(issuers))
        {
            if (item.SubjectName.RawData.AsSpan().SequenceEqual(item.IssuerName.RawData))
            {
                chain.ChainPolicy.CustomTrustStore.Add(item);
            }
            else
            {
                chain.ChainPolicy.ExtraStore.Add(item);
            }
        }

        var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        chain.Build(certificate);
        var elements = chain.ChainElements.ToArray();
        foreach (var status in chain.ChainStatus)
        {
            switch (status.Status)
            {
                case X509ChainStatusFlags.NoError:
                case X509ChainStatusFlags.UntrustedRoot when selfSigned:
                    break;
                case X509ChainStatusFlags.NotSignatureValid:
                    throw Refused(StatusCodes.BadCertificateInvalid, certificate, $"has a chain whose signature does not verify (tampered or corrupt): {status.StatusInformation.Trim()}");
                case X509ChainStatusFlags.NotTimeValid:
                    throw Refused(StatusCodes.BadCertificateIssuerTimeInvalid, certificate, $"has an issuer outside its validity period: {status.StatusInformation.Trim()}");
                case X509ChainStatusFlags.PartialChain:
                case X509ChainStatusFlags.UntrustedRoot:
                    throw Refused(StatusCodes.BadCertificateChainIncomplete, certificate,
                        "has an issuer that is in neither trusted/ nor issuers/ (the chain is incomplete)");
                default:
                    throw Refused(StatusCodes.BadCertificateInvalid, certificate, $"failed chain validation: {status.Status} {status.StatusInformation.Trim()}");
            }
        }

        return elements;
    }

    /// <summary>Trusted when the certificate itself or one of its issuers is in trusted/.</summary>
    private static bool IsTrusted(X509ChainElement[] chain, IReadOnlyList<X509Certificate2> trusted)
    {
        foreach (var element in chain)
        {
            foreach (var item in trusted)
            {
                if (item.RawData.AsSpan().SequenceEqual(element.Certificate.RawData))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Each CA-issued certificate in the chain is checked against its issuer's CRL (signed by that issuer): listed
    /// means revoked; no CRL from the issuer means the revocation status is unknown, which is refused too.
    /// </summary>
    private void CheckRevocation(X509ChainElement[] chain)
    {
        var lists = store.RevocationLists();
        for (var i = 0; i + 1 < chain.Length; i++)
        {
            var subject = chain[i].Certificate;
            var issuer = chain[i + 1].Certificate;
            var serial = new BigInteger(subject.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
            var found = false;
            foreach (var der in lists)
            {
                (System.Security.Cryptography.X509Certificates.X500DistinguishedName Issuer, DateTimeOffset? NextUpdate, HashSet<BigInteger> Revoked) crl;
                try
                {
                    crl = SignedAsn1.ReadCrl(der);
                }
                catch (System.Formats.Asn1.AsnContentException)
                {
                    continue;
                }

                if (!crl.Issuer.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData) || !SignedAsn1.IsSignedBy(der, issuer))
                {
                    continue;
                }

                found = true;
                if (crl.Revoked.Contains(serial))
                {
                    throw Refused(i == 0 ? StatusCodes.BadCertificateRevoked : StatusCodes.BadCertificateIssuerRevoked, chain[0].Certificate,
                        i == 0 ? $"is revoked by a CRL of {issuer.Subject}" : $"has a revoked issuer {subject.Subject}");
                }
            }

            if (!found)
            {
                throw Refused(i == 0 ? StatusCodes.BadCertificateRevocationUnknown : StatusCodes.BadCertificateIssuerRevocationUnknown, chain[0].Certificate,
                    $"cannot be checked for revocation: no CRL of {issuer.Subject} in {store.TrustedCrls} or {store.IssuerCrls}");
            }
        }
    }

    private static void CheckApplicationUri(X509Certificate2 certificate, string? applicationUri)
    {
        if (string.IsNullOrEmpty(applicationUri))
        {
            return;
        }

        var uri = ApplicationCertificate.ApplicationUriOf(certificate);
        if (!string.Equals(uri, applicationUri, StringComparison.Ordinal))
        {
            throw Refused(StatusCodes.BadCertificateUriInvalid, certificate, $"names application URI '{uri}', the endpoint says '{applicationUri}'");
        }
    }

    private static void CheckHost(X509Certificate2 certificate, string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return;
        }

        var names = ApplicationCertificate.HostNamesOf(certificate);
        if (!names.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            throw Refused(StatusCodes.BadCertificateHostNameInvalid, certificate, $"is for host(s) {string.Join(", ", names)}, not '{host}' that was dialed");
        }
    }

    internal static OpcUaProtocolException Refused(uint status, X509Certificate2 certificate, string why) =>
        new(ProtocolErrorReason.AccessDenied,
            $"server certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) {why} ({StatusCodes.Describe(status)})", status);
}
