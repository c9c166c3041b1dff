using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.Config.Loading;

/// <summary>What <c>config validate</c> checks of an OPC UA certificate and key pair: both load, and the key is the certificate's.</summary>
internal static class OpcUaKeyCheck
{
    /// <summary>A problem message, or null when the key (decrypted with the passphrase if one is named) matches the certificate.</summary>
    public static string? Check(string certificatePath, string keyPath, SecretSource? passphrase)
    {
        try
        {
            var bytes = File.ReadAllBytes(certificatePath);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            using var certificate = text.Contains("-----BEGIN CERTIFICATE", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
            using var key = RSA.Create();
            var pem = File.ReadAllText(keyPath);
            if (pem.Contains("ENCRYPTED", StringComparison.Ordinal))
            {
                if (passphrase is null)
                {
                    return $"the private key {keyPath} is encrypted: name its passphrase with passphraseFile or passphraseEnv";
                }

                key.ImportFromEncryptedPem(pem, passphrase.Read());
            }
            else
            {
                key.ImportFromPem(pem);
            }

            using var own = certificate.GetRSAPublicKey();
            return own is not null && own.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo())
                ? null
                : $"the private key {keyPath} does not belong to the certificate {certificatePath}";
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException or IOException or InvalidOperationException)
        {
            return $"cannot load the certificate {certificatePath} with its key {keyPath}: {error.Message}";
        }
    }
}
