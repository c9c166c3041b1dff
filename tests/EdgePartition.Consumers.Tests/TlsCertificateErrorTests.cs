using EdgePartition.Consumers.Security;

namespace EdgePartition.Consumers.Tests;

/// <summary>Every way a certificate or key can be unusable gives its own reason and a message naming the file.</summary>
public sealed class TlsCertificateErrorTests
{
    [Fact]
    public void PemCertificateWithoutAKeyNamesTheFile()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WriteCertificatePem("site.crt", certificate);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, keyPath: null, password: null));

        Assert.Equal((TlsCertificateProblem.NoPrivateKey, path), (error.Problem, error.FilePath));
        Assert.Equal($"TLS certificate {path} holds no private key; name the PEM key file in <tls key=\"...\"> or use a .pfx", error.Message);
    }

    [Fact]
    public void KeyFileWithoutAKeyNamesTheKeyFile()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteCertificatePem("site.key", certificate);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, password: null));

        Assert.Equal((TlsCertificateProblem.NoPrivateKey, key), (error.Problem, error.FilePath));
        Assert.Equal($"TLS key file {key} holds no PEM private key (-----BEGIN PRIVATE KEY-----)", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyOfAnotherCertificateIsRefused(bool ecdsa)
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate(ecdsa);
        using var other = TlsTestFiles.CreateCertificate(ecdsa);
        var path = files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteKeyPem("other.key", other);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, password: null));

        Assert.Equal((TlsCertificateProblem.KeyMismatch, key), (error.Problem, error.FilePath));
        Assert.Equal($"TLS key file {key} does not belong to certificate {path} (the public keys differ)", error.Message);
    }

    [Fact]
    public void KeyOfAnotherAlgorithmIsRefused()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate(ecdsa: false);
        using var other = TlsTestFiles.CreateCertificate(ecdsa: true);
        var path = files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteKeyPem("ec.key", other);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, password: null));

        Assert.Equal((TlsCertificateProblem.KeyMismatch, key), (error.Problem, error.FilePath));
        Assert.Equal($"TLS key file {key} holds an ECDSA key but certificate {path} has an RSA key", error.Message);
    }

    [Fact]
    public void EncryptedKeyNeedsThePassword()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteEncryptedKeyPem("site.key", certificate);

        var missing = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, password: null));
        var wrong = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, password: "not-it"));

        Assert.Equal((TlsCertificateProblem.PasswordMissing, key), (missing.Problem, missing.FilePath));
        Assert.Equal($"TLS key file {key} is encrypted (ENCRYPTED PRIVATE KEY); set its password in <tls password=\"...\">", missing.Message);
        Assert.Equal((TlsCertificateProblem.Unreadable, key), (wrong.Problem, wrong.FilePath));
        Assert.StartsWith($"TLS key file {key} cannot be decrypted or read (is the password right?)", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs12WithAWrongPasswordNamesTheFile()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WritePkcs12("site.pfx", certificate, "right");

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, keyPath: null, password: "wrong"));

        Assert.Equal((TlsCertificateProblem.Unreadable, path), (error.Problem, error.FilePath));
        Assert.StartsWith($"TLS certificate {path} cannot be read as PKCS#12 (is the password right?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileWithAPkcs12CertificateIsRefused()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WritePkcs12("site.p12", certificate, "pw");
        var key = files.WriteKeyPem("site.key", certificate);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, key, "pw"));

        Assert.Equal(TlsCertificateProblem.KeyWithPkcs12, error.Problem);
        Assert.Equal($"TLS certificate {path} is PKCS#12 and holds its own key; remove the key file {key} from <tls>", error.Message);
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WriteCertificatePem("site.crt", certificate);
        var absent = files.PathOf("absent.key");

        var noCertificate = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(files.PathOf("absent.crt"), null, null));
        var noKey = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, absent, null));

        Assert.Equal($"TLS certificate file {files.PathOf("absent.crt")} does not exist", noCertificate.Message);
        Assert.Equal((TlsCertificateProblem.FileMissing, absent), (noKey.Problem, noKey.FilePath));
        Assert.Equal($"TLS key file {absent} does not exist", noKey.Message);
    }

    [Fact]
    public void TextThatIsNoCertificateNamesTheFile()
    {
        using var files = new TlsTestFiles();
        var path = files.Write("site.crt", "not a certificate\n");

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificates.Load(path, null, null));

        Assert.Equal((TlsCertificateProblem.NoCertificate, path), (error.Problem, error.FilePath));
        Assert.StartsWith($"TLS certificate {path} holds no readable PEM certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadedPemCertificateCarriesItsKey()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        var path = files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteEncryptedKeyPem("site.key", certificate);

        using var loaded = TlsCertificates.Load(path, key, TlsTestFiles.KeyPassword);

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
    }
}
