using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Security;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Certificates made in the test with System.Security.Cryptography: good ones, and each kind of bad one.</summary>
internal static class TestCertificates
{
    public const string ServerUri = "urn:edgepartition:test:server";

    /// <summary>A self-signed server certificate for 127.0.0.1 and localhost, valid from <paramref name="from"/> (default: now - 1 h) for <paramref name="lifetime"/>.</summary>
    public static X509Certificate2 SelfSigned(
        string uri = ServerUri, string[]? hosts = null, DateTimeOffset? from = null, TimeSpan? lifetime = null, int bits = 2048, string name = "test server")
    {
        using var key = RSA.Create(bits);
        var request = ApplicationCertificate.NewRequest(uri, name, hosts ?? ["127.0.0.1", "localhost"], key);
        var start = from ?? DateTimeOffset.UtcNow.AddHours(-1);
        return request.CreateSelfSigned(start, start + (lifetime ?? TimeSpan.FromDays(30)));
    }

    /// <summary>The certificate with one byte of its signature flipped (the key still matches).</summary>
    public static X509Certificate2 Tampered(X509Certificate2 certificate)
    {
        var raw = certificate.RawData;
        raw[^10] ^= 0x01;
        var tampered = X509CertificateLoader.LoadCertificate(raw);
        using var key = certificate.GetRSAPrivateKey()!;
        return tampered.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 CertificateAuthority(string name = "test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A server certificate issued by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssuedBy(X509Certificate2 authority, string uri = ServerUri, long serial = 1000)
    {
        using var key = RSA.Create(2048);
        var request = ApplicationCertificate.NewRequest(uri, "issued server", ["127.0.0.1", "localhost"], key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serialBytes = new BigInteger(serial).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serialBytes);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A CRL of <paramref name="authority"/> listing <paramref name="revoked"/>.</summary>
    public static byte[] RevocationList(X509Certificate2 authority, params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        return builder.Build(authority, 1, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>A fresh PKI folder under the temp directory.</summary>
    public static PkiStore NewStore()
    {
        var store = new PkiStore(Directory.CreateTempSubdirectory("edgepart-pki-").FullName);
        store.EnsureLayout();
        return store;
    }

    /// <summary>Writes a certificate and its key as PEM files (for node-opcua's --cert/--key).</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string folder)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "server_cert.pem");
        var keyPath = Path.Combine(folder, "server_key.pem");
        File.WriteAllText(certificatePath, PemEncoding.WriteString("CERTIFICATE", certificate.RawData));
        using var key = certificate.GetRSAPrivateKey()!;
        File.WriteAllText(keyPath, PemEncoding.WriteString("RSA PRIVATE KEY", key.ExportRSAPrivateKey()));
        return (certificatePath, keyPath);
    }
}
