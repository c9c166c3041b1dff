using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Server certificate validation against a PKI folder: each way a certificate can be bad has its own error.</summary>
public sealed class CertificateValidationTests : IDisposable
{
    private readonly PkiStore _store = TestCertificates.NewStore();

    public void Dispose() => Directory.Delete(_store.Root, recursive: true);

    [Fact]
    public void TrustedSelfSignedCertificateIsAccepted()
    {
        using var certificate = TestCertificates.SelfSigned();
        _store.Trust(certificate);
        new CertificateValidator(_store).Validate(certificate, TestCertificates.ServerUri, "127.0.0.1");
    }

    [Fact]
    public void UntrustedCertificateIsRefusedCopiedToRejectedAndAcceptedOnceTrustedByThumbprint()
    {
        using var certificate = TestCertificates.SelfSigned();
        var error = Refused(certificate, StatusCodes.BadCertificateUntrusted);
        Assert.Contains(certificate.Thumbprint, error.Message, StringComparison.Ordinal);
        Assert.Contains("test server", error.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_store.RejectedCerts));

        using var trusted = _store.TrustFileOrThumbprint(certificate.Thumbprint);
        Assert.Empty(Directory.GetFiles(_store.RejectedCerts));
        new CertificateValidator(_store).Validate(certificate, TestCertificates.ServerUri, "127.0.0.1");
    }

    [Fact]
    public void ExpiredCertificateIsRefused()
    {
        using var certificate = TestCertificates.SelfSigned(from: DateTimeOffset.UtcNow.AddDays(-10), lifetime: TimeSpan.FromDays(2));
        _store.Trust(certificate);
        Refused(certificate, StatusCodes.BadCertificateTimeInvalid);
    }

    [Fact]
    public void NotYetValidCertificateIsRefused()
    {
        using var certificate = TestCertificates.SelfSigned(from: DateTimeOffset.UtcNow.AddDays(2));
        _store.Trust(certificate);
        Refused(certificate, StatusCodes.BadCertificateTimeInvalid);
    }

    [Fact]
    public void CertificateForAnotherApplicationUriIsRefused()
    {
        using var certificate = TestCertificates.SelfSigned(uri: "urn:somebody:else");
        _store.Trust(certificate);
        Refused(certificate, StatusCodes.BadCertificateUriInvalid);
    }

    [Fact]
    public void CertificateForAnotherHostIsRefused()
    {
        using var certificate = TestCertificates.SelfSigned(hosts: ["plc.example"]);
        _store.Trust(certificate);
        Refused(certificate, StatusCodes.BadCertificateHostNameInvalid);
    }

    [Fact]
    public void TamperedCertificateIsRefusedEvenWithAutoAccept()
    {
        using var good = TestCertificates.SelfSigned();
        using var tampered = TestCertificates.Tampered(good);
        _store.Trust(tampered);
        Refused(tampered, StatusCodes.BadCertificateInvalid);
        var error = Assert.Throws<OpcUaProtocolException>(() =>
            new CertificateValidator(_store) { AutoAcceptUntrusted = true }.Validate(tampered, TestCertificates.ServerUri, "127.0.0.1"));
        Assert.Equal(StatusCodes.BadCertificateInvalid, error.StatusCode);
    }

    [Fact]
    public void CertificateIssuedByATrustedCaNeedsTheCasCrlAndIsRefusedWhenRevoked()
    {
        using var authority = TestCertificates.CertificateAuthority();
        using var issued = TestCertificates.IssuedBy(authority);
        using var other = TestCertificates.IssuedBy(authority, serial: 2000);
        _store.Trust(authority);
        Refused(issued, StatusCodes.BadCertificateRevocationUnknown);

        File.WriteAllBytes(Path.Combine(_store.TrustedCrls, "ca.crl"), TestCertificates.RevocationList(authority, other));
        new CertificateValidator(_store).Validate(issued, TestCertificates.ServerUri, "127.0.0.1");

        File.WriteAllBytes(Path.Combine(_store.TrustedCrls, "ca.crl"), TestCertificates.RevocationList(authority, issued));
        Refused(issued, StatusCodes.BadCertificateRevoked);
    }

    [Fact]
    public void CertificateIssuedByAnUnknownCaIsAnIncompleteChain()
    {
        using var authority = TestCertificates.CertificateAuthority();
        using var issued = TestCertificates.IssuedBy(authority);
        Refused(issued, StatusCodes.BadCertificateChainIncomplete);
    }

    [Fact]
    public void AutoAcceptTakesAnUntrustedValidCertificateAndSaysSo()
    {
        using var certificate = TestCertificates.SelfSigned();
        var told = new List<string>();
        new CertificateValidator(_store) { AutoAcceptUntrusted = true, AutoAccepted = c => told.Add(c.Thumbprint) }
            .Validate(certificate, TestCertificates.ServerUri, "127.0.0.1");
        Assert.Equal([certificate.Thumbprint], told);
        Assert.Single(Directory.GetFiles(_store.TrustedCerts));
    }

    [Fact]
    public void ApplicationCertificateIsCreatedOnceWithPrivateKeyAndFolderPermissions()
    {
        var (certificate, created) = ApplicationCertificate.LoadOrCreate(_store, "urn:edgepartition:test:client", "s3cret");
        using (certificate)
        {
            Assert.True(created);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal("urn:edgepartition:test:client", ApplicationCertificate.ApplicationUriOf(certificate));
            Assert.Contains(System.Net.Dns.GetHostName(), ApplicationCertificate.HostNamesOf(certificate));
            Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
            Assert.Equal("sha256RSA", certificate.SignatureAlgorithm.FriendlyName);
            var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
            Assert.Equal(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, usage);
        }

        var (_, keyPath) = ApplicationCertificate.Paths(_store);
        Assert.Contains("ENCRYPTED", File.ReadAllText(keyPath), StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.OwnPrivate));
        }
        var (again, createdAgain) = ApplicationCertificate.LoadOrCreate(_store, "urn:edgepartition:test:client", "s3cret");
        using (again)
        {
            Assert.False(createdAgain);
            Assert.True(again.HasPrivateKey);
        }
    }

    private OpcUaProtocolException Refused(X509Certificate2 certificate, uint status)
    {
        var error = Assert.Throws<OpcUaProtocolException>(() => new CertificateValidator(_store).Validate(certificate, TestCertificates.ServerUri, "127.0.0.1"));
        Assert.True(status == error.StatusCode, $"expected {StatusCodes.Describe(status)}, got: {error.Message}");
        Assert.Equal(ProtocolErrorReason.AccessDenied, error.Reason);
        return error;
    }
}
