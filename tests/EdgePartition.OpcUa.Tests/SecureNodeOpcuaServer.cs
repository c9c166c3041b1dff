using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// tests/peers/opcua/secure-server.mjs: node-opcua with every RSA policy and mode, user1/password1 and X.509 users,
/// its certificate folders under <see cref="ServerPki"/> (nothing auto-accepted) and a certificate made by the test.
/// </summary>
public sealed class SecureNodeOpcuaServer : ScriptedPeerServer
{
    private readonly string _folder;
    private readonly string? _certificate;
    private readonly string? _key;
    private readonly int? _tokenLifetimeMs;

    private SecureNodeOpcuaServer(string folder, string? certificate, string? key, int? tokenLifetimeMs)
        : base(0)
    {
        _folder = folder;
        _certificate = certificate;
        _key = key;
        _tokenLifetimeMs = tokenLifetimeMs;
    }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    /// <summary>The server's own PKI (trusted/certs is where a client certificate must be for the server to accept it).</summary>
    public string ServerPki => Path.Combine(_folder, "pki");

    public string ServerTrustedCerts => Path.Combine(ServerPki, "pki", "trusted", "certs");

    public string UserTrustedCerts => Path.Combine(ServerPki, "userpki", "trusted", "certs");

    protected override string Description => "node-opcua secure server";

    protected override TimeSpan DefaultStartTimeout => TestTimeouts.Process;

    public static async Task<SecureNodeOpcuaServer> StartAsync(string folder, X509Certificate2 certificate, int? tokenLifetimeMs = null, Action<SecureNodeOpcuaServer>? beforeStart = null)
    {
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, Path.Combine(folder, "server-cert"));
        var server = new SecureNodeOpcuaServer(folder, certificatePath, keyPath, tokenLifetimeMs);
        Directory.CreateDirectory(server.ServerTrustedCerts);
        Directory.CreateDirectory(server.UserTrustedCerts);
        beforeStart?.Invoke(server);
        await server.LaunchAsync(server.DefaultStartTimeout).ConfigureAwait(false);
        return server;
    }

    /// <summary>Makes the server trust a client (or user) certificate: copied into its trusted folder, which it watches.</summary>
    public static void TrustIn(string folder, X509Certificate2 certificate) =>
        File.WriteAllBytes(Path.Combine(folder, $"{certificate.Thumbprint}.der"), certificate.RawData);

    /// <summary>What an operator does with a client the server refused: move it from the server's rejected/ to trusted/certs.</summary>
    /// <summary>Whether the server has filed <paramref name="certificate"/> under its rejected folder (it does so after refusing it).</summary>
    public bool HasRejected(X509Certificate2 certificate)
    {
        var rejected = Path.Combine(ServerPki, "pki", "rejected");
        return Directory.Exists(rejected) && Directory.EnumerateFiles(rejected, "*", SearchOption.AllDirectories)
            .Any(file => file.Contains(certificate.Thumbprint, StringComparison.OrdinalIgnoreCase));
    }

    public void MoveFromRejectedToTrusted(X509Certificate2 certificate)
    {
        var rejected = Path.Combine(ServerPki, "pki", "rejected");
        foreach (var file in Directory.EnumerateFiles(rejected, "*", SearchOption.AllDirectories))
        {
            if (file.Contains(certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
            {
                File.Move(file, Path.Combine(ServerTrustedCerts, Path.GetFileName(file)), overwrite: true);
                return;
            }
        }

        TrustIn(ServerTrustedCerts, certificate);
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var script = Path.Combine(RepoPaths.PeersDirectory, "opcua", "secure-server.mjs");
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.GetDirectoryName(script)! };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--pki");
        info.ArgumentList.Add(ServerPki);
        info.ArgumentList.Add("--uri");
        info.ArgumentList.Add(TestCertificates.ServerUri);
        if (_certificate is not null)
        {
            info.ArgumentList.Add("--cert");
            info.ArgumentList.Add(_certificate);
            info.ArgumentList.Add("--key");
            info.ArgumentList.Add(_key!);
        }

        if (_tokenLifetimeMs is { } lifetime)
        {
            info.ArgumentList.Add("--token-lifetime");
            info.ArgumentList.Add(lifetime.ToString(CultureInfo.InvariantCulture));
        }

        return info;
    }
}

/// <summary>
/// One secure server for a test class, with a client PKI that trusts it and a client certificate it trusts, plus an
/// X.509 user it trusts.
/// </summary>
public sealed class SecureServerFixture : IAsyncLifetime
{
    public const string ClientUri = "urn:edgepartition:test:client";

    private SecureNodeOpcuaServer? _server;

    public string Folder { get; } = Directory.CreateTempSubdirectory("edgepart-uasec-").FullName;

    public PkiStore ClientPki { get; private set; } = null!;

    public X509Certificate2 ServerCertificate { get; private set; } = null!;

    public X509Certificate2 ClientCertificate { get; private set; } = null!;

    public X509Certificate2 UserCertificate { get; private set; } = null!;

    public SecureNodeOpcuaServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync()
    {
        ClientPki = new PkiStore(Path.Combine(Folder, "client-pki"));
        ServerCertificate = TestCertificates.SelfSigned();
        ClientPki.Trust(ServerCertificate);
        (ClientCertificate, _) = ApplicationCertificate.LoadOrCreate(ClientPki, ClientUri);
        UserCertificate = TestCertificates.SelfSigned(uri: "urn:edgepartition:test:user", name: "test user");
        _server = await SecureNodeOpcuaServer.StartAsync(Folder, ServerCertificate, beforeStart: server =>
        {
            SecureNodeOpcuaServer.TrustIn(server.ServerTrustedCerts, ClientCertificate);
            SecureNodeOpcuaServer.TrustIn(server.UserTrustedCerts, UserCertificate);
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    public OpcUaClientOptions Options(string policy, MessageSecurityMode? mode, UserIdentity? identity = null, List<string>? log = null) => new()
    {
        EndpointUrl = Server.EndpointUrl,
        ConnectTimeout = TimeSpan.FromSeconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
        ApplicationUri = ClientUri,
        SecurityPolicy = policy,
        SecurityMode = mode,
        PkiFolder = ClientPki.Root,
        Identity = identity ?? UserIdentity.Anonymous,
        SecurityLog = log is null ? null : log.Add,
    };
}
