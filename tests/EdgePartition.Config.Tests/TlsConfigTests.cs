using static EdgePartition.Config.Tests.ConfigText;

namespace EdgePartition.Config.Tests;

/// <summary>
/// The consumer endpoint's &lt;tls&gt;: certificate and key paths are resolved against the partition file, survive
/// the writer, and a file that is not there is a configuration error pointing at the attribute that names it.
/// </summary>
public sealed class TlsConfigTests
{
    /// <summary>Line 6 of <see cref="ConfigText.Partition"/>, under consumers (line 4) and http (line 5).</summary>
    private static string PartitionWithTls(string tlsAttributes) => Partition(
        "  <consumers>",
        "    <http port=\"9443\">",
        $"      <tls {tlsAttributes}/>",
        "    </http>",
        "  </consumers>");

    /// <summary>1-based column of <paramref name="attribute"/> on the &lt;tls&gt; line.</summary>
    private static int ColumnOf(string tlsAttributes, string attribute) =>
        "      <tls ".Length + tlsAttributes.IndexOf(attribute + "=", StringComparison.Ordinal) + 1;

    private static TempConfigDirectory DirectoryWithTlsFiles(params string[] names)
    {
        var directory = new TempConfigDirectory();
        directory.Write("plc.xml", S7File());
        Directory.CreateDirectory(Path.Combine(directory.Path, "tls"));
        foreach (var name in names)
        {
            // The loader only checks that the files exist; their content is the consumers' business.
            directory.Write(Path.Combine("tls", name), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"u8.ToArray());
        }

        return directory;
    }

    [Fact]
    public void ResolvesTheKeyPathBesideTheCertificate()
    {
        using var directory = DirectoryWithTlsFiles("site.crt", "site.key");
        var path = directory.Write("p.xml", PartitionWithTls("certificate=\"tls/site.crt\" key=\"tls/site.key\" password=\"pw\""));

        var tls = PartitionConfigLoader.Load(path).Consumers.Http!.Tls!;

        Assert.Equal(Path.Combine(directory.Path, "tls", "site.crt"), tls.CertificatePath);
        Assert.Equal(Path.Combine(directory.Path, "tls", "site.key"), tls.KeyPath);
        Assert.Equal("pw", tls.Password);
    }

    [Fact]
    public void KeyIsOptionalWhenTheCertificateFileHoldsIt()
    {
        using var directory = DirectoryWithTlsFiles("site.pem");
        var path = directory.Write("p.xml", PartitionWithTls("certificate=\"tls/site.pem\""));

        var tls = PartitionConfigLoader.Load(path).Consumers.Http!.Tls!;

        Assert.Null(tls.KeyPath);
        Assert.Null(tls.Password);
    }

    [Fact]
    public void KeyPathSurvivesTheWriterRoundTrip()
    {
        using var directory = DirectoryWithTlsFiles("site.crt", "site.key");
        var original = PartitionConfigLoader.Load(directory.Write("p.xml", PartitionWithTls("certificate=\"tls/site.crt\" key=\"tls/site.key\" password=\"pw\"")));

        var written = PartitionConfigWriter.Save(original, Path.Combine(directory.Path, "out"), "p.xml");
        var reloaded = PartitionConfigLoader.Load(written);

        ModelComparer.AssertEqual(original, reloaded);
        Assert.Equal(original.Consumers.Http!.Tls!.KeyPath, reloaded.Consumers.Http!.Tls!.KeyPath);
        Assert.Contains($"key=\"{original.Consumers.Http.Tls.KeyPath}\"", File.ReadAllText(written), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingCertificateFileIsAConfigErrorAtItsAttribute()
    {
        const string attributes = "certificate=\"tls/site.crt\" key=\"tls/site.key\"";
        using var directory = DirectoryWithTlsFiles("site.key");
        var path = directory.Write("p.xml", PartitionWithTls(attributes));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        var certificate = Path.Combine(directory.Path, "tls", "site.crt");
        Assert.Equal($"{path}:6:{ColumnOf(attributes, "certificate")}: TLS certificate file not found: {certificate}", problem.ToString());
    }

    [Fact]
    public void MissingKeyFileIsAConfigErrorAtItsAttribute()
    {
        const string attributes = "certificate=\"tls/site.crt\" key=\"tls/site.key\"";
        using var directory = DirectoryWithTlsFiles("site.crt");
        var path = directory.Write("p.xml", PartitionWithTls(attributes));

        var error = Assert.Throws<ConfigException>(() => PartitionConfigLoader.Load(path));

        var key = Path.Combine(directory.Path, "tls", "site.key");
        Assert.Equal($"invalid configuration: {path}:6:{ColumnOf(attributes, "key")}: TLS key file not found: {key}", error.Message);
    }

    [Fact]
    public void BothMissingFilesAreReportedAtOnce()
    {
        const string attributes = "certificate=\"/nonexistent/site.crt\" key=\"/nonexistent/site.key\"";
        using var directory = DirectoryWithTlsFiles();
        var path = directory.Write("p.xml", PartitionWithTls(attributes));

        var problems = PartitionConfigLoader.Validate(path);

        Assert.Equal(
            [
                $"{path}:6:{ColumnOf(attributes, "certificate")}: TLS certificate file not found: /nonexistent/site.crt",
                $"{path}:6:{ColumnOf(attributes, "key")}: TLS key file not found: /nonexistent/site.key",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void KeyWithAPkcs12CertificateIsAConfigError()
    {
        const string attributes = "certificate=\"tls/site.pfx\" key=\"tls/site.key\"";
        using var directory = DirectoryWithTlsFiles("site.pfx", "site.key");
        var path = directory.Write("p.xml", PartitionWithTls(attributes));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Equal(
            $"{path}:6:{ColumnOf(attributes, "key")}: a PKCS#12 certificate (site.pfx) holds its own key; remove 'key' or use a PEM certificate",
            problem.ToString());
    }

    [Fact]
    public void ADirectoryIsNotACertificateFile()
    {
        const string attributes = "certificate=\"tls\"";
        using var directory = DirectoryWithTlsFiles();
        var path = directory.Write("p.xml", PartitionWithTls(attributes));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Equal($"{path}:6:{ColumnOf(attributes, "certificate")}: TLS certificate file not found: {Path.Combine(directory.Path, "tls")}", problem.ToString());
    }
}
