using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.Config;

namespace EdgePartition.Consumers.Tests;

/// <summary>
/// The consumers server over HTTPS with certificates made at test time, in every form the partition file allows,
/// reached by a client that trusts exactly that certificate (pinned by SHA-256 thumbprint, never "accept any").
/// </summary>
public sealed class TlsTests
{
    private const string Token = "tls-token";

    public enum PemForm
    {
        RsaKeyFile,
        RsaEncryptedKeyFile,
        EcdsaKeyFile,
        EcdsaEncryptedKeyFile,
        KeyInsideTheCertificateFile,
    }

    [Theory]
    [InlineData(PemForm.RsaKeyFile)]
    [InlineData(PemForm.RsaEncryptedKeyFile)]
    [InlineData(PemForm.EcdsaKeyFile)]
    [InlineData(PemForm.EcdsaEncryptedKeyFile)]
    [InlineData(PemForm.KeyInsideTheCertificateFile)]
    public async Task ServesHttpsWithAPemCertificate(PemForm form)
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate(ecdsa: form is PemForm.EcdsaKeyFile or PemForm.EcdsaEncryptedKeyFile);
        var options = form switch
        {
            PemForm.KeyInsideTheCertificateFile => new ConsumersOptions { TlsCertificatePath = files.WriteCombinedPem("site.pem", certificate) },
            PemForm.RsaEncryptedKeyFile or PemForm.EcdsaEncryptedKeyFile => new ConsumersOptions
            {
                TlsCertificatePath = files.WriteCertificatePem("site.crt", certificate),
                TlsKeyPath = files.WriteEncryptedKeyPem("site.key", certificate),
                TlsCertificatePassword = TlsTestFiles.KeyPassword,
            },
            _ => new ConsumersOptions
            {
                TlsCertificatePath = files.WriteCertificatePem("site.crt", certificate),
                TlsKeyPath = files.WriteKeyPem("site.key", certificate),
            },
        };

        await using var partition = await TestPartition.StartAsync(options with { BearerToken = Token });

        await AssertServesHttpsAsync(partition.BaseAddress, certificate);
    }

    [Fact]
    public async Task ServesHttpsWithAPkcs12FileAndRefusesClientsPinnedToAnotherCertificate()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions
        {
            TlsCertificatePath = files.WritePkcs12("server.pfx", certificate, "pw"),
            TlsCertificatePassword = "pw",
            BearerToken = Token,
        });

        await AssertServesHttpsAsync(partition.BaseAddress, certificate);

        // The pin is what admits the client: trusting another certificate, it refuses this server.
        using var other = TlsTestFiles.CreateCertificate();
        using var stranger = TlsTestFiles.PinnedClient(partition.BaseAddress, other);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync("/healthz"));
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task ServesHttpsWithTheCertificateAndKeyThePartitionFileNames()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        files.WriteCertificatePem("site.crt", certificate);
        files.WriteEncryptedKeyPem("site.key", certificate);
        var config = PartitionConfigLoader.Load(WritePartitionFile(files, $"<tls certificate=\"site.crt\" key=\"site.key\" password=\"{TlsTestFiles.KeyPassword}\"/>"));

        var options = ConsumersOptionsFromConfig.Create(config);
        Assert.Equal((files.PathOf("site.crt"), files.PathOf("site.key")), (options.TlsCertificatePath, options.TlsKeyPath));
        await using var partition = await TestPartition.StartAsync(options);

        await AssertServesHttpsAsync(partition.BaseAddress, certificate);
    }

    [Fact]
    public async Task EdgepartConsumersServesHttpsFromThePartitionFile()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate(ecdsa: true);
        files.WriteCertificatePem("site.crt", certificate);
        files.WriteKeyPem("site.key", certificate);
        var partitionFile = WritePartitionFile(files, "<tls certificate=\"site.crt\" key=\"site.key\"/>");

        await using var consumers = EdgepartProcess.Start("consumers", partitionFile, "--port", "0");
        var listening = await consumers.WaitForLineAsync(l => l.Text.StartsWith("listening on ", StringComparison.Ordinal));

        var address = new Uri(listening.Text["listening on ".Length..]);
        Assert.Equal("https", address.Scheme);
        await AssertServesHttpsAsync(address, certificate);
    }

    [Fact]
    public async Task EdgepartConsumersExitsWithConfigErrorNamingTheKeyOfAnotherCertificate()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        using var other = TlsTestFiles.CreateCertificate();
        files.WriteCertificatePem("site.crt", certificate);
        var key = files.WriteKeyPem("other.key", other);
        var partitionFile = WritePartitionFile(files, "<tls certificate=\"site.crt\" key=\"other.key\"/>");

        await using var consumers = EdgepartProcess.Start("consumers", partitionFile, "--port", "0");

        // 78 (EX_CONFIG): `edgepart run` does not restart a process that a restart cannot cure.
        Assert.Equal(ConfigException.ExitCode, await consumers.WaitForExitAsync());
        Assert.Contains(
            new OutputLine(OutputStream.StandardError, $"edgepart consumers: TLS key file {key} does not belong to certificate {files.PathOf("site.crt")} (the public keys differ)"),
            consumers.Lines);
        Assert.DoesNotContain("listening on", consumers.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgepartConsumersRefusesAMissingKeyFileAsAConfigError()
    {
        using var files = new TlsTestFiles();
        using var certificate = TlsTestFiles.CreateCertificate();
        files.WriteCertificatePem("site.crt", certificate);
        var partitionFile = WritePartitionFile(files, "<tls certificate=\"site.crt\" key=\"site.key\"/>");

        await using var consumers = EdgepartProcess.Start("consumers", partitionFile, "--port", "0");

        Assert.Equal(ConfigException.ExitCode, await consumers.WaitForExitAsync());
        var column = File.ReadAllLines(partitionFile)[5].IndexOf("key=", StringComparison.Ordinal) + 1;
        Assert.Contains($"{partitionFile}:6:{column}: TLS key file not found: {files.PathOf("site.key")}", consumers.Output, StringComparison.Ordinal);
    }

    /// <summary>/healthz without a token, then /api/status with it, both over HTTPS trusting only <paramref name="certificate"/>.</summary>
    private static async Task AssertServesHttpsAsync(Uri address, X509Certificate2 certificate)
    {
        Assert.Equal("https", address.Scheme);
        using var client = TlsTestFiles.PinnedClient(address, certificate);
        using (var health = await client.GetAsync("/healthz"))
        {
            Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/healthz answered {(int)health.StatusCode}");
        }

        client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var status = await HttpAssert.JsonAsync(await client.GetAsync("/api/status"), HttpStatusCode.OK);
        Assert.True(status.TryGetProperty("partition", out _));
    }

    /// <summary>
    /// A partition file beside the certificate files, with <paramref name="tls"/> on line 6 (column 7 onwards) and
    /// a bearer token; its one S7 device is never polled here.
    /// </summary>
    private static string WritePartitionFile(TlsTestFiles files, string tls)
    {
        files.Write("plc.xml", string.Join('\n',
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<s7Devices xmlns=\"urn:edgepartition:s7:1\">",
            "  <device name=\"plc1\" host=\"127.0.0.1\">",
            "    <pollGroup name=\"main\" cycleMs=\"100\">",
            "      <tag name=\"counter\" address=\"DB1.DBD0\" type=\"DINT\"/>",
            "    </pollGroup>",
            "  </device>",
            "</s7Devices>",
            ""));
        return files.Write("p.xml", string.Join('\n',
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            $"<partition xmlns=\"urn:edgepartition:partition:1\" name=\"{TestNames.Partition("tls")}\">",
            "  <include path=\"plc.xml\"/>",
            "  <consumers>",
            $"    <http port=\"9443\" bearerToken=\"{Token}\">",
            $"      {tls}",
            "    </http>",
            "  </consumers>",
            "</partition>",
            ""));
    }
}
