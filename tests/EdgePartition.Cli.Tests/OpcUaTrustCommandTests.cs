using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Security;

namespace EdgePartition.Cli.Tests;

/// <summary>`edgepart opcua trust` as an operator runs it after the collector refused a server certificate.</summary>
public sealed class OpcUaTrustCommandTests : IDisposable
{
    private readonly string _pki = Directory.CreateTempSubdirectory("edgepart-pki-").FullName;

    [Fact]
    public async Task ARejectedCertificateIsMovedToTrustedByItsThumbprint()
    {
        var store = new PkiStore(_pki);
        store.EnsureLayout();
        using var server = SelfSigned("CN=refused server");
        store.Reject(server);

        await using var process = EdgepartProcess.Start(["opcua", "trust", server.Thumbprint, "--pki", _pki]);
        Assert.Equal(0, await process.WaitForExitAsync(TestTimeouts.Process));
        Assert.Contains(server.Thumbprint, process.Output, StringComparison.Ordinal);
        Assert.Contains(store.Trusted(), trusted => trusted.Thumbprint == server.Thumbprint);
        Assert.Empty(store.Rejected());
    }

    [Fact]
    public async Task AnUnknownThumbprintIsAnErrorAndTrustsNothing()
    {
        var store = new PkiStore(_pki);
        store.EnsureLayout();

        await using var process = EdgepartProcess.Start(["opcua", "trust", new string('A', 40), "--pki", _pki]);
        Assert.NotEqual(0, await process.WaitForExitAsync(TestTimeouts.Process));
        Assert.Empty(store.Trusted());
    }

    public void Dispose() => Directory.Delete(_pki, recursive: true);

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }
}
