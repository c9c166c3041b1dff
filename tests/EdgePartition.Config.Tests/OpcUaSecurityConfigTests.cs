using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using static EdgePartition.Config.Tests.ConfigText;

namespace EdgePartition.Config.Tests;

/// <summary>
/// OPC UA security settings (issue 14): policy auto, secrets named by file or environment variable (never in the
/// XML), and what validation checks of them, each problem at the attribute that causes it.
/// </summary>
public sealed class OpcUaSecurityConfigTests
{
    /// <summary>An OPC UA file whose device (line 3) has <paramref name="children"/> (from line 4) before its poll group.</summary>
    private static string OpcUaDevice(string attributes, params string[] children) => Lines(
        [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<opcUaDevices xmlns=\"urn:edgepartition:opcua:1\">",
            $"  <device name=\"u1\" endpointUrl=\"opc.tcp://127.0.0.1:4840\" {attributes}>",
            .. children,
            "    <pollGroup name=\"main\" cycleMs=\"100\">",
            "      <tag name=\"t\" address=\"ns=2;i=1\" type=\"Int32\"/>",
            "    </pollGroup>",
            "  </device>",
            "</opcUaDevices>",
        ]);

    private static string Load(TempConfigDirectory directory, string opcUaFile)
    {
        directory.Write("opc.xml", opcUaFile);
        return directory.Write("p.xml", PartitionIncluding("opc.xml"));
    }

    private static OpcUaConnectionConfig Connection(string path) => PartitionConfigLoader.Load(path).Devices.Single().OpcUa;

    [Fact]
    public void PasswordComesFromANamedFileAndTheWriterKeepsOnlyItsName()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("secret.txt", "hunter2\n"u8.ToArray());
        var path = Load(directory, OpcUaDevice("", "    <user><userName name=\"edge\" passwordFile=\"secret.txt\"/></user>"));

        var identity = Connection(path).Identity;

        Assert.Equal(OpcUaIdentityKind.UserName, identity.Kind);
        Assert.Equal(Path.Combine(directory.Path, "secret.txt"), identity.Password!.FilePath);
        Assert.Equal("hunter2", identity.Password.Read());
        Assert.DoesNotContain("hunter2", identity.Password.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPasswordFileIsAProblemAtItsAttribute()
    {
        using var directory = new TempConfigDirectory();
        var path = Load(directory, OpcUaDevice("", "    <user><userName name=\"edge\" passwordFile=\"nope.txt\"/></user>"));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Equal(4, problem.Line);
        Assert.Contains("password file", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("opc.xml", problem.File, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordWrittenInTheXmlIsRefused()
    {
        using var directory = new TempConfigDirectory();
        var path = Load(directory, OpcUaDevice("", "    <user><userName name=\"edge\" password=\"hunter2\"/></user>"));

        Assert.NotEmpty(PartitionConfigLoader.Validate(path));
    }

    [Fact]
    public void UserNameWithoutAPasswordSourceIsAProblem()
    {
        using var directory = new TempConfigDirectory();
        var path = Load(directory, OpcUaDevice("", "    <user><userName name=\"edge\"/></user>"));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Contains("passwordFile", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordFromAnEnvironmentVariableIsReadOnlyWhenNeeded()
    {
        using var directory = new TempConfigDirectory();
        var path = Load(directory, OpcUaDevice("", "    <user><userName name=\"edge\" passwordEnv=\"EDGEPART_TEST_NOT_SET_42\"/></user>"));

        var source = Connection(path).Identity.Password!;

        Assert.Equal("EDGEPART_TEST_NOT_SET_42", source.EnvironmentVariable);
        Assert.Contains("EDGEPART_TEST_NOT_SET_42", Assert.Throws<InvalidOperationException>(source.Read).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserKeyThatIsNotTheCertificatesIsAProblem()
    {
        using var directory = new TempConfigDirectory();
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var request = new CertificateRequest("CN=user", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        directory.Write("user.der", certificate.RawData);
        directory.Write("good.pem", System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8PrivateKey())));
        directory.Write("bad.pem", System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("PRIVATE KEY", other.ExportPkcs8PrivateKey())));

        var good = Load(directory, OpcUaDevice("", "    <user><certificate certificate=\"user.der\" privateKey=\"good.pem\"/></user>"));
        Assert.Empty(PartitionConfigLoader.Validate(good));

        var bad = Load(directory, OpcUaDevice("", "    <user><certificate certificate=\"user.der\" privateKey=\"bad.pem\"/></user>"));
        var problem = Assert.Single(PartitionConfigLoader.Validate(bad));
        Assert.Contains("does not belong", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoPolicyNeedsNoModeAndDeprecatedPoliciesNeedAllowDeprecated()
    {
        using var directory = new TempConfigDirectory();
        var auto = Connection(Load(directory, OpcUaDevice("securityPolicy=\"auto\"", "    <pki own=\"pki/own\" trusted=\"pki/trusted\"/>")));
        Assert.Equal(OpcUaSecurityPolicy.Auto, auto.SecurityPolicy);

        var deprecated = Load(directory, OpcUaDevice("securityPolicy=\"Basic256\" securityMode=\"Sign\"", "    <pki own=\"pki/own\" trusted=\"pki/trusted\"/>"));
        Assert.Contains("allowDeprecated", Assert.Single(PartitionConfigLoader.Validate(deprecated)).Message, StringComparison.Ordinal);

        var allowed = Load(directory, OpcUaDevice(
            "securityPolicy=\"Basic256\" securityMode=\"Sign\" allowDeprecated=\"true\"", "    <pki own=\"pki/own\" trusted=\"pki/trusted\" autoAccept=\"true\"/>"));
        var connection = Connection(allowed);
        Assert.True(connection.AllowDeprecated);
        Assert.True(connection.Pki!.AutoAcceptUntrusted);
    }
}
