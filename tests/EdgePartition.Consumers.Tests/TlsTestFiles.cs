using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.Consumers.Tests;

/// <summary>
/// A private temporary directory of certificate and key files made at test time: self-signed server certificates
/// for 127.0.0.1 (RSA or ECDSA), written as PEM (certificate, plain or encrypted PKCS#8 key) or PKCS#12. Deleted on
/// dispose. Also makes HTTP clients that trust exactly one certificate, by its SHA-256 thumbprint.
/// </summary>
internal sealed class TlsTestFiles : IDisposable
{
    public const string KeyPassword = "key-pw";

    public TlsTestFiles() => Directory = System.IO.Directory.CreateTempSubdirectory("edgepart-tls-").FullName;

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>A self-signed server certificate for 127.0.0.1 with its private key.</summary>
    public static X509Certificate2 CreateCertificate(bool ecdsa = false)
    {
        using AsymmetricAlgorithm key = ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var request = key is ECDsa ec
            ? new CertificateRequest("CN=127.0.0.1", ec, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=127.0.0.1", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public string WriteCertificatePem(string name, X509Certificate2 certificate) =>
        Write(name, certificate.ExportCertificatePem());

    public string WriteKeyPem(string name, X509Certificate2 certificate)
    {
        using var key = PrivateKey(certificate);
        return Write(name, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The key as "ENCRYPTED PRIVATE KEY" (PKCS#8, AES-256-CBC, PBKDF2-SHA256) with <see cref="KeyPassword"/>.</summary>
    public string WriteEncryptedKeyPem(string name, X509Certificate2 certificate)
    {
        using var key = PrivateKey(certificate);
        return Write(name, key.ExportEncryptedPkcs8PrivateKeyPem(
            KeyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
    }

    /// <summary>Certificate and key in one PEM file.</summary>
    public string WriteCombinedPem(string name, X509Certificate2 certificate)
    {
        using var key = PrivateKey(certificate);
        return Write(name, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
    }

    public string WritePkcs12(string name, X509Certificate2 certificate, string password)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A client that accepts the server only if it presents <paramref name="pinned"/> (same SHA-256 thumbprint):
    /// the self-signed certificate is trusted for this test and nothing else is.
    /// </summary>
    public static HttpClient PinnedClient(Uri baseAddress, X509Certificate2 pinned)
    {
        var expected = pinned.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), expected, StringComparison.OrdinalIgnoreCase),
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TestTimeouts.Default };
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static AsymmetricAlgorithm PrivateKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
        ?? throw new InvalidOperationException("the certificate has no private key");
}
