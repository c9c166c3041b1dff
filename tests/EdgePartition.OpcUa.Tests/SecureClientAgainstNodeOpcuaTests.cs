using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>The secured client against node-opcua: every policy x mode, every identity, and the trust decisions of both sides.</summary>
public sealed class SecureClientAgainstNodeOpcuaTests(SecureServerFixture fixture) : IClassFixture<SecureServerFixture>
{
    public static TheoryData<string, MessageSecurityMode> PoliciesAndModes()
    {
        var data = new TheoryData<string, MessageSecurityMode>();
        foreach (var policy in new[] { "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss" })
        {
            data.Add(policy, MessageSecurityMode.Sign);
            data.Add(policy, MessageSecurityMode.SignAndEncrypt);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PoliciesAndModes))]
    public async Task ReadsAndWritesOverEveryPolicyAndMode(string policy, MessageSecurityMode mode)
    {
        await using var client = new OpcUaClient(fixture.Options(policy, mode));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(123456789L, (await ReadInt32(client)).Value.AsInt64());
        // A value larger than one chunk goes out in several chunks, each signed (and encrypted) on its own.
        var statuses = await client.WriteAsync([new NodeId(1, "Int32")], [DataValue.Of(Variant.FromInt32(123456789))], CancellationToken.None).WithTimeout();
        Assert.Equal([StatusCodes.Good], statuses);
    }

    [Fact]
    public async Task AutoPicksTheStrongestPolicyAndMode()
    {
        var log = new List<string>();
        await using var client = new OpcUaClient(fixture.Options(EndpointSelection.Auto, null, log: log));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(123456789L, (await ReadInt32(client)).Value.AsInt64());
    }

    [Theory]
    [InlineData("Basic256Sha256", MessageSecurityMode.SignAndEncrypt)]
    [InlineData("Aes256_Sha256_RsaPss", MessageSecurityMode.Sign)]
    [InlineData("None", MessageSecurityMode.None)]
    public async Task LogsInWithUserNameAndPassword(string policy, MessageSecurityMode mode)
    {
        await using var client = new OpcUaClient(fixture.Options(policy, mode, UserIdentity.UserName("user1", "password1")));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, (await ReadInt32(client)).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordIsAClearErrorThatNeverShowsThePassword()
    {
        const string secret = "not-the-password-7f3a";
        var log = new List<string>();
        await using var client = new OpcUaClient(fixture.Options("Basic256Sha256", MessageSecurityMode.SignAndEncrypt, UserIdentity.UserName("user1", secret), log));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.AccessDenied, error.Reason);
        Assert.Contains("user1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.All(log, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Aes128_Sha256_RsaOaep", MessageSecurityMode.SignAndEncrypt)]
    [InlineData("None", MessageSecurityMode.None)]
    public async Task LogsInWithAnX509UserCertificate(string policy, MessageSecurityMode mode)
    {
        await using var client = new OpcUaClient(fixture.Options(policy, mode, UserIdentity.Certificate(fixture.UserCertificate)));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, (await ReadInt32(client)).StatusCode);
    }

    [Fact]
    public async Task UntrustedX509UserIsRefused()
    {
        using var stranger = TestCertificates.SelfSigned(uri: "urn:edgepartition:test:stranger", name: "stranger");
        await using var client = new OpcUaClient(fixture.Options("Basic256Sha256", MessageSecurityMode.Sign, UserIdentity.Certificate(stranger)));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.AccessDenied, error.Reason);
    }

    [Fact]
    public async Task ClientCertificateTheServerDoesNotTrustIsRefusedUntilMovedIntoItsTrustedFolder()
    {
        var pki = new PkiStore(Path.Combine(fixture.Folder, "stranger-pki"));
        pki.Trust(fixture.ServerCertificate);
        var options = fixture.Options("Basic256Sha256", MessageSecurityMode.SignAndEncrypt) with { PkiFolder = pki.Root };
        await using var client = new OpcUaClient(options);
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCodes.BadSecurityChecksFailed, error.StatusCode);
        Assert.Equal(ProtocolErrorReason.AccessDenied, error.Reason);

        var (certificate, _) = ApplicationCertificate.LoadOrCreate(pki, SecureServerFixture.ClientUri);
        using (certificate)
        {
            // The server files a refused certificate under rejected/ after answering; moving it before that races with
            // the server's own write (and its folder watcher then keeps it rejected).
            await Eventually.PollAsync(() => fixture.Server.HasRejected(certificate), "the server filing our certificate under its rejected folder");
            fixture.Server.MoveFromRejectedToTrusted(certificate);
        }

        await Eventually.PollAsync(async () =>
        {
            try
            {
                await client.ConnectAsync(CancellationToken.None);
                return true;
            }
            catch (OpcUaProtocolException)
            {
                return false;
            }
        }, connected => connected, "the server accepting the client certificate moved into its trusted folder");
        Assert.Equal(StatusCodes.Good, (await ReadInt32(client)).StatusCode);
    }

    [Fact]
    public async Task ServerCertificateWeDoNotTrustIsRefusedLandsInRejectedAndWorksOnceTrusted()
    {
        var pki = new PkiStore(Path.Combine(fixture.Folder, "fresh-pki"));
        var (certificate, _) = ApplicationCertificate.LoadOrCreate(pki, SecureServerFixture.ClientUri);
        using (certificate)
        {
            SecureNodeOpcuaServer.TrustIn(fixture.Server.ServerTrustedCerts, certificate);
        }

        await using var client = new OpcUaClient(fixture.Options("Aes256_Sha256_RsaPss", MessageSecurityMode.SignAndEncrypt) with { PkiFolder = pki.Root });
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCodes.BadCertificateUntrusted, error.StatusCode);
        Assert.Contains(fixture.ServerCertificate.Thumbprint, error.Message, StringComparison.Ordinal);
        var rejected = Assert.Single(Directory.GetFiles(pki.RejectedCerts));

        using var trusted = pki.TrustFileOrThumbprint(fixture.ServerCertificate.Thumbprint);
        Assert.False(File.Exists(rejected));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, (await ReadInt32(client)).StatusCode);
    }

    [Fact]
    public async Task NoAcceptableEndpointNamesWhatTheServerOffers()
    {
        await using var client = new OpcUaClient(fixture.Options("Basic128Rsa15", null) with { AllowDeprecatedPolicies = true });
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.NotSupported, error.Reason);
        Assert.Contains("Aes256_Sha256_RsaPss/SignAndEncrypt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeprecatedPolicyNeedsAllowDeprecated()
    {
        await using var client = new OpcUaClient(fixture.Options("Basic256", MessageSecurityMode.Sign));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Contains("allowDeprecated", error.Message, StringComparison.Ordinal);
    }

    private static async Task<DataValue> ReadInt32(OpcUaClient client)
    {
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();
        return values[0];
    }
}
