using System.Buffers.Binary;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// Mutated secure-channel frames from a real server (through a mangling proxy) and token renewal: a bad chunk is a
/// typed error that closes the channel, never a hang; renewal keeps the channel working.
/// </summary>
public sealed class SecureChannelFaultTests(SecureServerFixture fixture) : IClassFixture<SecureServerFixture>
{
    public static TheoryData<string, MessageSecurityMode, uint> Mutations()
    {
        var data = new TheoryData<string, MessageSecurityMode, uint>();
        foreach (var mode in new[] { MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt })
        {
            data.Add("signature", mode, StatusCodes.BadSecurityChecksFailed);
            data.Add("body", mode, StatusCodes.BadSecurityChecksFailed);
            data.Add("token", mode, StatusCodes.BadSecureChannelTokenUnknown);
            data.Add("replay", mode, StatusCodes.BadSequenceNumberInvalid);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task MutatedServerChunkIsATypedErrorThatClosesTheChannel(string mutation, MessageSecurityMode mode, uint expected)
    {
        await using var proxy = new ChunkManglingProxy(fixture.Server.Port);
        await using var client = new OpcUaClient(fixture.Options("Basic256Sha256", mode) with { EndpointUrl = proxy.EndpointUrl });
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();

        proxy.MangleNextServerMessage((chunk, previous) =>
        {
            switch (mutation)
            {
                case "signature":
                    chunk[^1] ^= 0x01;
                    return [chunk];
                case "body":
                    chunk[30] ^= 0x80;
                    return [chunk];
                case "token":
                    BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(12), BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(12)) + 7);
                    return [chunk];
                default:
                    return [previous, chunk];
            }
        });
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(
            () => client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout());
        Assert.True(expected == error.StatusCode || expected == (error.InnerException as OpcUaProtocolException)?.StatusCode, error.ToString());
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task RenewedTokensKeepTheChannelWorking()
    {
        var folder = Directory.CreateTempSubdirectory("edgepart-uasec-renew-").FullName;
        try
        {
            await using var server = await SecureNodeOpcuaServer.StartAsync(folder, fixture.ServerCertificate, tokenLifetimeMs: 10_000, beforeStart: s =>
                SecureNodeOpcuaServer.TrustIn(s.ServerTrustedCerts, fixture.ClientCertificate));
            await using var client = new OpcUaClient(fixture.Options("Aes256_Sha256_RsaPss", MessageSecurityMode.SignAndEncrypt) with { EndpointUrl = server.EndpointUrl });
            await client.ConnectAsync(CancellationToken.None).WithTimeout();
            var tokens = new HashSet<uint> { client.ChannelTokenId };
            var values = new DataValue[1];
            var reads = 0;
            await Eventually.PollAsync(async () =>
            {
                await client.ReadAsync([new NodeId(1, "Counter")], values, CancellationToken.None).WithTimeout();
                Assert.Equal(StatusCodes.Good, values[0].StatusCode);
                reads++;
                tokens.Add(client.ChannelTokenId);
                return tokens.Count;
            }, count => count >= 3, "two token renewals", TestTimeouts.Scaled(TimeSpan.FromSeconds(60)));
            Assert.True(client.IsConnected);
            Assert.True(reads > 3);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
