using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.Config;

namespace EdgePartition.Consumers.Security;

/// <summary>
/// Loads the HTTPS server certificate named in the partition file: a PKCS#12 file (.pfx/.p12), or a PEM certificate
/// with its PEM key (in the key file, or in the certificate file itself). Every failure is a
/// <see cref="TlsCertificateException"/> naming the file and what is wrong with it; the certificate and the key are
/// read apart so that "no key", "wrong password" and "key of another certificate" each get their own message.
/// </summary>
public static class TlsCertificates
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <param name="certificatePath">PKCS#12 file or PEM certificate (the first CERTIFICATE block is the server's).</param>
    /// <param name="keyPath">PEM private key; null when the certificate file holds it (PEM or PKCS#12).</param>
    /// <param name="password">Password of the PKCS#12 file or of an encrypted PKCS#8 key; ignored for a plain key.</param>
    public static X509Certificate2 Load(string certificatePath, string? keyPath, string? password)
    {
        RequireFile(certificatePath, "certificate");
        if (keyPath is not null)
        {
            RequireFile(keyPath, "key");
        }

        if (TlsConfig.IsPkcs12(certificatePath))
        {
            if (keyPath is not null)
            {
                throw new TlsCertificateException(TlsCertificateProblem.KeyWithPkcs12, keyPath, $"TLS certificate {certificatePath} is PKCS#12 and holds its own key; remove the key file {keyPath} from <tls>");
            }

            return LoadPkcs12(certificatePath, password);
        }

        return LoadPem(certificatePath, keyPath, password);
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new TlsCertificateException(TlsCertificateProblem.FileMissing, path, $"TLS {what} file {path} does not exist");
        }
    }

    private static X509Certificate2 LoadPkcs12(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException e)
        {
            throw new TlsCertificateException(TlsCertificateProblem.Unreadable, path, $"TLS certificate {path} cannot be read as PKCS#12 (is the password right?): {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsCertificateException(TlsCertificateProblem.NoPrivateKey, path, $"TLS certificate {path} holds no private key; export the .pfx with its key");
        }

        return certificate;
    }

    private static X509Certificate2 LoadPem(string certificatePath, string? keyPath, string? password)
    {
        var certificateText = File.ReadAllText(certificatePath);
        using var certificate = ReadCertificate(certificatePath, certificateText);

        var keyFile = keyPath ?? certificatePath;
        var keyText = keyPath is null ? certificateText : File.ReadAllText(keyPath);
        var encrypted = FindPrivateKey(keyText) switch
        {
            PemKeyKind.Plain => false,
            PemKeyKind.Encrypted => true,
            _ => throw NoPrivateKey(certificatePath, keyPath, keyText),
        };
        if (encrypted && string.IsNullOrEmpty(password))
        {
            throw new TlsCertificateException(TlsCertificateProblem.PasswordMissing, keyFile, $"TLS key file {keyFile} is encrypted (ENCRYPTED PRIVATE KEY); set its password in <tls password=\"...\">");
        }

        return certificate.PublicKey.Oid.Value switch
        {
            RsaOid => WithKey(certificate, certificatePath, RSA.Create(), keyFile, keyText, encrypted ? password : null),
            EcPublicKeyOid => WithKey(certificate, certificatePath, ECDsa.Create(), keyFile, keyText, encrypted ? password : null),
            var other => throw new TlsCertificateException(TlsCertificateProblem.Unsupported, certificatePath, $"TLS certificate {certificatePath} has a {certificate.PublicKey.Oid.FriendlyName ?? other} key; only RSA and ECDSA certificates are supported"),
        };
    }

    private static X509Certificate2 ReadCertificate(string path, string text)
    {
        try
        {
            return X509Certificate2.CreateFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new TlsCertificateException(TlsCertificateProblem.NoCertificate, path, $"TLS certificate {path} holds no readable PEM certificate (-----BEGIN CERTIFICATE-----); a PKCS#12 file must end in .pfx or .p12: {e.Message}", e);
        }
    }

    /// <summary>Imports the key into <paramref name="key"/> (disposed here) and pairs it with the certificate.</summary>
    private static X509Certificate2 WithKey(X509Certificate2 certificate, string certificatePath, AsymmetricAlgorithm key, string keyFile, string keyText, string? password)
    {
        using (key)
        {
            try
            {
                Import(key, keyText, password);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw ImportFailure(e, key, keyFile, keyText, password, certificatePath);
            }

            try
            {
                return key switch
                {
                    RSA rsa => certificate.CopyWithPrivateKey(rsa),
                    ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                    _ => throw new UnreachableException(),
                };
            }
            catch (ArgumentException e)
            {
                throw new TlsCertificateException(TlsCertificateProblem.KeyMismatch, keyFile, $"TLS key file {keyFile} does not belong to certificate {certificatePath} (the public keys differ)", e);
            }
        }
    }

    private static void Import(AsymmetricAlgorithm key, string keyText, string? password)
    {
        if (password is null)
        {
            key.ImportFromPem(keyText);
        }
        else
        {
            key.ImportFromEncryptedPem(keyText, password);
        }
    }

    /// <summary>
    /// Why a key did not import: when it imports as the other algorithm it is simply not this certificate's kind
    /// of key (an ECDSA key for an RSA certificate); otherwise the password is wrong or the key is damaged.
    /// </summary>
    private static TlsCertificateException ImportFailure(Exception error, AsymmetricAlgorithm wanted, string keyFile, string keyText, string? password, string certificatePath)
    {
        using AsymmetricAlgorithm other = wanted is RSA ? ECDsa.Create() : RSA.Create();
        try
        {
            Import(other, keyText, password);
            return new TlsCertificateException(TlsCertificateProblem.KeyMismatch, keyFile, $"TLS key file {keyFile} holds an {AlgorithmName(other)} key but certificate {certificatePath} has an {AlgorithmName(wanted)} key", error);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return error is CryptographicException
                ? new TlsCertificateException(TlsCertificateProblem.Unreadable, keyFile, $"TLS key file {keyFile} cannot be decrypted or read (is the password right?): {error.Message}", error)
                : new TlsCertificateException(TlsCertificateProblem.Unreadable, keyFile, $"TLS key file {keyFile} holds no single usable private key: {error.Message}", error);
        }
    }

    private static string AlgorithmName(AsymmetricAlgorithm key) => key is RSA ? "RSA" : "ECDSA";

    private static TlsCertificateException NoPrivateKey(string certificatePath, string? keyPath, string keyText)
    {
        if (keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            var file = keyPath ?? certificatePath;
            return new TlsCertificateException(TlsCertificateProblem.Unsupported, file, $"TLS key file {file} is in the legacy OpenSSL encrypted format; convert it to PKCS#8 (openssl pkcs8 -topk8 -in OLD -out NEW)");
        }

        return keyPath is null
            ? new TlsCertificateException(TlsCertificateProblem.NoPrivateKey, certificatePath, $"TLS certificate {certificatePath} holds no private key; name the PEM key file in <tls key=\"...\"> or use a .pfx")
            : new TlsCertificateException(TlsCertificateProblem.NoPrivateKey, keyPath, $"TLS key file {keyPath} holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private enum PemKeyKind
    {
        None,
        Plain,
        Encrypted,
    }

    /// <summary>Whether <paramref name="text"/> has an RFC 7468 private key block, and whether it is encrypted.</summary>
    private static PemKeyKind FindPrivateKey(string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.SequenceEqual("ENCRYPTED PRIVATE KEY"))
            {
                return PemKeyKind.Encrypted;
            }

            if (label.SequenceEqual("PRIVATE KEY") || label.SequenceEqual("RSA PRIVATE KEY") || label.SequenceEqual("EC PRIVATE KEY"))
            {
                return PemKeyKind.Plain;
            }

            rest = rest[fields.Location.End..];
        }

        return PemKeyKind.None;
    }
}
