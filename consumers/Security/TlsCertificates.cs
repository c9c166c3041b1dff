using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.Consumers.Security;

/// <summary>Loads the server certificate named in the partition file: PKCS#12 (.pfx/.p12) or PEM (certificate + key).</summary>
public static class TlsCertificates
{
    public static X509Certificate2 Load(string certificatePath, string? keyPath, string? password)
    {
        if (!File.Exists(certificatePath))
        {
            throw new FileNotFoundException($"TLS certificate {certificatePath} does not exist", certificatePath);
        }

        var extension = Path.GetExtension(certificatePath).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }

        var certificate = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"TLS certificate {certificatePath} has no private key (give the key file or a .pfx)");
        }

        return certificate;
    }
}
