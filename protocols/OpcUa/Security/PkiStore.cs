using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// A certificate folder laid out like the OPC Foundation stack's (Part 12 Annex F): <c>own/</c> (our certificate and
/// private key), <c>trusted/</c> (certificates and CAs we trust), <c>issuers/</c> (CAs that only complete chains),
/// <c>rejected/</c> (certificates we refused, for an operator to trust), each with <c>certs/</c> and <c>crl/</c>.
/// Folders are created 0700 and private keys 0600: nobody but the service user reads them.
/// </summary>
public sealed class PkiStore
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _own;
    private readonly string _trusted;
    private readonly string _issuers;
    private readonly string _rejected;

    /// <summary>A PKI folder with own/, trusted/, issuers/ and rejected/ inside.</summary>
    public PkiStore(string root)
        : this(Path.Combine(root, "own"), Path.Combine(root, "trusted"), Path.Combine(root, "issuers"), Path.Combine(root, "rejected"))
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The four stores in folders of their own (each with certs/ and crl/; own/ with certs/ and private/).</summary>
    public PkiStore(string own, string trusted, string? issuers, string? rejected)
    {
        ArgumentException.ThrowIfNullOrEmpty(own);
        ArgumentException.ThrowIfNullOrEmpty(trusted);
        _own = Path.GetFullPath(own);
        _trusted = Path.GetFullPath(trusted);
        _issuers = Path.GetFullPath(issuers ?? Path.Combine(_trusted, "..", "issuers"));
        _rejected = Path.GetFullPath(rejected ?? Path.Combine(_trusted, "..", "rejected"));
        Root = Path.GetDirectoryName(_own) ?? _own;
    }

    /// <summary>The folder that holds the stores (the parent of own/ when they were given one by one).</summary>
    public string Root { get; }

    public string OwnCerts => Path.Combine(_own, "certs");

    public string OwnPrivate => Path.Combine(_own, "private");

    public string TrustedCerts => Path.Combine(_trusted, "certs");

    public string TrustedCrls => Path.Combine(_trusted, "crl");

    public string IssuerCerts => Path.Combine(_issuers, "certs");

    public string IssuerCrls => Path.Combine(_issuers, "crl");

    public string RejectedCerts => Path.Combine(_rejected, "certs");

    /// <summary>Creates every folder that is missing (0700); existing folders keep their mode.</summary>
    public void EnsureLayout()
    {
        foreach (var folder in new[] { _own, OwnCerts, OwnPrivate, _trusted, TrustedCerts, TrustedCrls, _issuers, IssuerCerts, IssuerCrls, _rejected, RejectedCerts })
        {
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, PrivateFolder);
                }
            }
        }
    }

    /// <summary>Writes a file only the owner may read (private keys): created 0600 before any byte is written.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }

    public IReadOnlyList<X509Certificate2> Trusted() => LoadCertificates(TrustedCerts);

    public IReadOnlyList<X509Certificate2> Issuers() => LoadCertificates(IssuerCerts);

    public IReadOnlyList<X509Certificate2> Rejected() => LoadCertificates(RejectedCerts);

    /// <summary>The DER bytes of every CRL in trusted/crl and issuers/crl (PEM or DER files).</summary>
    public IReadOnlyList<byte[]> RevocationLists()
    {
        var lists = new List<byte[]>();
        foreach (var folder in new[] { TrustedCrls, IssuerCrls })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var bytes = File.ReadAllBytes(file);
                lists.Add(PemDecode(bytes, "X509 CRL") ?? bytes);
            }
        }

        return lists;
    }

    /// <summary>Copies a refused certificate into rejected/certs (named by subject and thumbprint) unless it is there.</summary>
    public string Reject(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        EnsureLayout();
        var path = Path.Combine(RejectedCerts, FileName(certificate));
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, certificate.RawData);
        }

        return path;
    }

    /// <summary>Adds a certificate to trusted/certs.</summary>
    public string Trust(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        EnsureLayout();
        var path = Path.Combine(TrustedCerts, FileName(certificate));
        File.WriteAllBytes(path, certificate.RawData);
        return path;
    }

    /// <summary>
    /// Trusts a certificate named by a file path (DER or PEM) or by the SHA-1 thumbprint of one in rejected/; a
    /// certificate taken from rejected/ is moved out of it. Returns the trusted certificate; throws
    /// <see cref="FileNotFoundException"/> naming what was looked for.
    /// </summary>
    public X509Certificate2 TrustFileOrThumbprint(string fileOrThumbprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileOrThumbprint);
        string? source = null;
        X509Certificate2? certificate = null;
        if (File.Exists(fileOrThumbprint))
        {
            source = fileOrThumbprint;
            certificate = LoadCertificate(fileOrThumbprint);
        }
        else
        {
            foreach (var file in Directory.Exists(RejectedCerts) ? Directory.EnumerateFiles(RejectedCerts) : [])
            {
                var candidate = TryLoadCertificate(file);
                if (candidate is not null && string.Equals(candidate.Thumbprint, fileOrThumbprint.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    source = file;
                    certificate = candidate;
                    break;
                }

                candidate?.Dispose();
            }
        }

        if (certificate is null || source is null)
        {
            throw new FileNotFoundException($"no certificate file '{fileOrThumbprint}' and none with that thumbprint in {RejectedCerts}");
        }

        Trust(certificate);
        if (Path.GetDirectoryName(Path.GetFullPath(source)) == RejectedCerts)
        {
            File.Delete(source);
        }

        return certificate;
    }

    /// <summary>"&lt;CN&gt; [&lt;thumbprint&gt;].der" as node-opcua and the OPC Foundation stack name them.</summary>
    public static string FileName(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return $"{safe} [{certificate.Thumbprint}].der";
    }

    public static X509Certificate2 LoadCertificate(string path) =>
        TryLoadCertificate(path) ?? throw new System.Security.Cryptography.CryptographicException($"{path} is not a DER or PEM certificate");

    private static X509Certificate2? TryLoadCertificate(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return X509CertificateLoader.LoadCertificate(PemDecode(bytes, "CERTIFICATE") ?? bytes);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static List<X509Certificate2> LoadCertificates(string folder)
    {
        var certificates = new List<X509Certificate2>();
        if (!Directory.Exists(folder))
        {
            return certificates;
        }

        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (TryLoadCertificate(file) is { } certificate)
            {
                certificates.Add(certificate);
            }
        }

        return certificates;
    }

    private static byte[]? PemDecode(byte[] bytes, string label)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = System.Security.Cryptography.PemEncoding.Find(text);
        return text[fields.Label] == label ? Convert.FromBase64String(text[fields.Base64Data]) : null;
    }
}
