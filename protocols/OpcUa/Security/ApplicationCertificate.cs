using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// The client's application instance certificate (Part 6 §6.2.2): RSA 2048+, SHA-256, SubjectAltName with the
/// ApplicationUri and the host's DNS names, key usages digitalSignature, nonRepudiation, keyEncipherment,
/// dataEncipherment, extended key usages clientAuth and serverAuth. Created in the PKI's own/ on first start.
/// </summary>
public static class ApplicationCertificate
{
    public const string DefaultName = "edgepartition";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Where the certificate (DER) and its key (PKCS#8 PEM) live in <paramref name="store"/>.</summary>
    public static (string Certificate, string Key) Paths(PkiStore store, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (Path.Combine(store.OwnCerts, name + ".der"), Path.Combine(store.OwnPrivate, name + ".pem"));
    }

    /// <summary>
    /// Loads own/certs/NAME.der with own/private/NAME.pem, or creates both when the certificate is missing. A key
    /// protected by <paramref name="passphrase"/> is read (and written) as encrypted PKCS#8. Returns the certificate
    /// with its private key and whether it was created now.
    /// </summary>
    public static (X509Certificate2 Certificate, bool Created) LoadOrCreate(
        PkiStore store, string applicationUri, string? passphrase = null, string name = DefaultName, int keySize = 2048)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.EnsureLayout();
        var (certificatePath, keyPath) = Paths(store, name);
        if (File.Exists(certificatePath))
        {
            return (Load(certificatePath, keyPath, passphrase), false);
        }

        using var created = Create(applicationUri, "EdgePartition", HostNames(), TimeSpan.FromDays(365 * 5), keySize);
        File.WriteAllBytes(certificatePath, created.RawData);
        using var key = created.GetRSAPrivateKey()!;
        var pem = passphrase is null
            ? PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8PrivateKey())
            : PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", key.ExportEncryptedPkcs8PrivateKey(
                passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000)));
        PkiStore.WritePrivateFile(keyPath, System.Text.Encoding.ASCII.GetBytes(pem));
        return (Load(certificatePath, keyPath, passphrase), true);
    }

    /// <summary>A certificate (DER or PEM) with its PEM private key (plain or encrypted PKCS#8, or PKCS#1).</summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath, string? passphrase)
    {
        using var certificate = PkiStore.LoadCertificate(certificatePath);
        using var key = RSA.Create();
        var pem = File.ReadAllText(keyPath);
        if (passphrase is not null && pem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            key.ImportFromEncryptedPem(pem, passphrase);
        }
        else
        {
            key.ImportFromPem(pem);
        }

        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>True when the key's public half is the certificate's.</summary>
    public static bool KeyMatches(X509Certificate2 certificate, RSA key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        using var own = certificate.GetRSAPublicKey();
        return own is not null && own.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>A self-signed application instance certificate valid from now (minus a minute of clock skew).</summary>
    public static X509Certificate2 Create(string applicationUri, string commonName, IEnumerable<string> hostNames, TimeSpan lifetime, int keySize = 2048)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationUri);
        ArgumentNullException.ThrowIfNull(hostNames);
        using var key = RSA.Create(keySize);
        var request = NewRequest(applicationUri, commonName, hostNames, key);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-1), now.Add(lifetime));
    }

    /// <summary>A certificate request with the extensions Part 6 asks of an application instance certificate.</summary>
    public static CertificateRequest NewRequest(string applicationUri, string commonName, IEnumerable<string> hostNames, RSA key)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        var subject = new X500DistinguishedName($"CN={commonName.Replace(",", " ", StringComparison.Ordinal)}");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(applicationUri));
        foreach (var host in hostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment,
            critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth, ServerAuth], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>This host's names: its host name, its fully qualified name when DNS knows one, and localhost.</summary>
    public static IReadOnlyList<string> HostNames()
    {
        var names = new List<string> { Dns.GetHostName() };
        try
        {
            var entry = Dns.GetHostEntry(names[0]);
            if (!string.IsNullOrEmpty(entry.HostName))
            {
                names.Add(entry.HostName);
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No resolver entry for our own name: the plain host name is all there is.
        }

        names.Add("localhost");
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The URI in a certificate's SubjectAltName (the ApplicationUri), or null.</summary>
    public static string? ApplicationUriOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension names)
            {
                foreach (var uri in UrisOf(names))
                {
                    return uri;
                }
            }
        }

        return null;
    }

    /// <summary>The DNS names and IP addresses in a certificate's SubjectAltName.</summary>
    public static IReadOnlyList<string> HostNamesOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hosts = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension names)
            {
                hosts.AddRange(names.EnumerateDnsNames());
                hosts.AddRange(names.EnumerateIPAddresses().Select(a => a.ToString()));
            }
        }

        return hosts;
    }

    /// <summary>URIs are GeneralName [6] IA5String (RFC 5280 §4.2.1.6); the extension class has no accessor for them.</summary>
    private static IEnumerable<string> UrisOf(X509SubjectAlternativeNameExtension names)
    {
        var reader = new System.Formats.Asn1.AsnReader(names.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        var uris = new List<string>();
        while (reader.HasData)
        {
            if (reader.PeekTag().HasSameClassAndValue(uriTag))
            {
                uris.Add(reader.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                reader.ReadEncodedValue();
            }
        }

        return uris;
    }
}
