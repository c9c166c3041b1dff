using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Bench.OpcUa;

/// <summary>
/// `secure` mode: connect time per policy and Read latency for None vs Sign vs SignAndEncrypt against
/// tests/peers/opcua/secure-server.mjs (node-opcua), with certificates made here and trusted both ways.
/// </summary>
internal static class SecureBench
{
    private const string ServerUri = "urn:edgepartition:bench:server";
    private const string ClientUri = "urn:edgepartition:bench:client";

    public static async Task<int> RunAsync(string script, int iterations)
    {
        var folder = Directory.CreateTempSubdirectory("edgepart-uasec-bench-").FullName;
        try
        {
            var pki = new PkiStore(Path.Combine(folder, "client"));
            var (client, _) = ApplicationCertificate.LoadOrCreate(pki, ClientUri);
            using var server = ApplicationCertificate.Create(ServerUri, "bench server", ["127.0.0.1", "localhost"], TimeSpan.FromDays(1));
            pki.Trust(server);
            var certificate = Path.Combine(folder, "server_cert.pem");
            var key = Path.Combine(folder, "server_key.pem");
            await File.WriteAllTextAsync(certificate, PemEncoding.WriteString("CERTIFICATE", server.RawData));
            using (var rsa = server.GetRSAPrivateKey()!)
            {
                await File.WriteAllTextAsync(key, PemEncoding.WriteString("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()));
            }

            var trusted = Path.Combine(folder, "server", "pki", "trusted", "certs");
            Directory.CreateDirectory(trusted);
            await File.WriteAllBytesAsync(Path.Combine(trusted, "client.der"), client.RawData);
            using var process = Start(script, ["--pki", Path.Combine(folder, "server"), "--cert", certificate, "--key", key, "--uri", ServerUri], out var endpoint);
            try
            {
                Console.WriteLine($"node-opcua secure server at {endpoint}; connect: median of 20 (channel + session, RSA 2048); Read 1 Int32: {iterations} requests");
                Console.WriteLine("| policy | mode | connect p50 ms | Read p50 µs | Read p99 µs | alloc B/op |");
                Console.WriteLine("|---|---|---|---|---|---|");
                (string, MessageSecurityMode)[] cases =
                [
                    ("None", MessageSecurityMode.None),
                    ("Basic256Sha256", MessageSecurityMode.Sign), ("Basic256Sha256", MessageSecurityMode.SignAndEncrypt),
                    ("Aes128_Sha256_RsaOaep", MessageSecurityMode.Sign), ("Aes128_Sha256_RsaOaep", MessageSecurityMode.SignAndEncrypt),
                    ("Aes256_Sha256_RsaPss", MessageSecurityMode.Sign), ("Aes256_Sha256_RsaPss", MessageSecurityMode.SignAndEncrypt),
                ];
                foreach (var (policy, mode) in cases)
                {
                    var options = new OpcUaClientOptions
                    {
                        EndpointUrl = endpoint,
                        ApplicationUri = ClientUri,
                        SecurityPolicy = policy,
                        SecurityMode = mode,
                        PkiFolder = pki.Root,
                        ConnectTimeout = TimeSpan.FromSeconds(20),
                    };
                    await RunCaseAsync(policy, mode, options, iterations);
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                client.Dispose();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task RunCaseAsync(string policy, MessageSecurityMode mode, OpcUaClientOptions options, int iterations)
    {
        var connects = new double[20];
        for (var i = 0; i < connects.Length; i++)
        {
            await using var probe = new OpcUaClient(options);
            var start = Stopwatch.GetTimestamp();
            await probe.ConnectAsync(CancellationToken.None);
            connects[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(connects);
        await using var client = new OpcUaClient(options);
        await client.ConnectAsync(CancellationToken.None);
        NodeId[] nodes = [new NodeId(1, "Int32")];
        var values = new DataValue[1];
        for (var i = 0; i < 200; i++)
        {
            await client.ReadAsync(nodes, values, CancellationToken.None);
        }

        var samples = new double[iterations];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.ReadAsync(nodes, values, CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / iterations;
        Array.Sort(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {policy} | {mode} | {connects[connects.Length / 2]:0.0} | {samples[iterations / 2]:0} | {samples[(int)(iterations * 0.99)]:0} | {allocated} |"));
    }

    private static Process Start(string script, string[] arguments, out string endpoint)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.WorkingDirectory = Path.GetDirectoryName(script)!;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                endpoint = $"opc.tcp://127.0.0.1:{line[10..]}";
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return process;
            }
        }

        throw new InvalidOperationException("secure-server.mjs exited before listening (run tests/peers/install-opcua.sh)");
    }
}
