using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>The crypto core of issue 14: key derivation, chunk padding, signing and encryption, and their failures.</summary>
public sealed class SecurityCryptoTests
{
    private static readonly byte[] OpenType = "OPN"u8.ToArray();
    private static readonly byte[] MessageType = "MSG"u8.ToArray();

    public static TheoryData<string, MessageSecurityMode> PolicyModes()
    {
        var data = new TheoryData<string, MessageSecurityMode>();
        foreach (var policy in new[] { "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss", "Basic256", "Basic128Rsa15" })
        {
            data.Add(policy, MessageSecurityMode.Sign);
            data.Add(policy, MessageSecurityMode.SignAndEncrypt);
        }

        return data;
    }

    [Fact]
    public void PSha256MatchesTheKnownTlsVector()
    {
        // The widely used P_SHA256 test vector (secret, "test label" + seed, 100 bytes).
        var secret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
        var seed = "test label"u8.ToArray().Concat(Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c")).ToArray();
        var output = KeyDerivation.PHash(HashAlgorithmName.SHA256, secret, seed, 100);
        Assert.Equal(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
            Convert.ToHexStringLower(output));
    }

    [Fact]
    public void DerivedKeysAreSlicedSigningEncryptingIvFromThePrf()
    {
        var clientNonce = RandomNumberGenerator.GetBytes(32);
        var serverNonce = RandomNumberGenerator.GetBytes(32);
        using var client = SymmetricKeys.Derive(SecurityPolicy.Aes128Sha256RsaOaep, serverNonce, clientNonce);
        using var server = SymmetricKeys.Derive(SecurityPolicy.Aes128Sha256RsaOaep, clientNonce, serverNonce);
        var material = KeyDerivation.PHash(HashAlgorithmName.SHA256, serverNonce, clientNonce, 32 + 16 + 16);
        Assert.Equal(material[..32], client.SigningKey.ToArray());
        Assert.Equal(material[32..48], client.EncryptingKey);
        Assert.Equal(material[48..], client.Iv.ToArray());
        Assert.NotEqual(client.SigningKey.ToArray(), server.SigningKey.ToArray());
    }

    [Theory]
    [MemberData(nameof(PolicyModes))]
    public void SymmetricChunksRoundTripForEveryBodyLength(string policyName, MessageSecurityMode mode)
    {
        var policy = SecurityPolicy.Find(policyName)!;
        using var pair = CertificatePair.Create(2048, 2048);
        using var sender = new ChannelSecurity(policy, mode, pair.Client, pair.ServerPublic);
        using var keys = SymmetricKeys.Derive(policy, RandomNumberGenerator.GetBytes(policy.NonceLength), RandomNumberGenerator.GetBytes(policy.NonceLength));
        var scratch = new byte[8192];
        for (var length = 0; length <= 80; length++)
        {
            var body = RandomNumberGenerator.GetBytes(length);
            var chunk = SymmetricChunk(sender, keys, body, sequence: 7);
            if (mode == MessageSecurityMode.SignAndEncrypt)
            {
                Assert.Equal(0, (chunk.Length - ChannelSecurity.SymmetricSecurityHeaderEnd) % 16);
                Assert.False(chunk.AsSpan(ChannelSecurity.SymmetricSecurityHeaderEnd + 8).IndexOf(body) >= 0 && length > 8, "body visible in an encrypted chunk");
            }
            else
            {
                Assert.Equal(ChannelSecurity.SymmetricSecurityHeaderEnd + 8 + length + policy.SymmetricSignatureSize, chunk.Length);
            }

            var plain = sender.UnprotectSymmetric(keys, chunk, scratch);
            Assert.Equal(7u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(plain));
            Assert.Equal(body, plain[8..].ToArray());
        }
    }

    [Theory]
    [InlineData(2048, 2048)]
    [InlineData(2048, 3072)]
    [InlineData(3072, 4096)]
    [InlineData(4096, 2048)]
    public void OpenChunksAreSignedAndEncryptedWithExtraPaddingForLargeKeys(int clientBits, int serverBits)
    {
        using var pair = CertificatePair.Create(clientBits, serverBits);
        foreach (var policy in new[] { SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256Sha256RsaPss })
        {
            // The client protects for the server; the "server" view (certificates swapped) undoes it, and back.
            using var client = new ChannelSecurity(policy, MessageSecurityMode.Sign, pair.Client, pair.ServerPublic);
            using var server = new ChannelSecurity(policy, MessageSecurityMode.Sign, pair.Server, pair.ClientPublic);
            foreach (var length in new[] { 0, 1, 100, 189, 190, 191, 500 })
            {
                var body = RandomNumberGenerator.GetBytes(length);
                var chunk = OpenChunk(client, body, out var headerEnd);
                Assert.Equal(0, (chunk.Length - headerEnd) % (serverBits / 8));
                var plain = server.UnprotectAsymmetric(chunk, headerEnd, new byte[16384]);
                Assert.Equal(body, plain[8..].ToArray());

                var reply = OpenChunk(server, body, out headerEnd);
                Assert.Equal(body, client.UnprotectAsymmetric(reply, headerEnd, new byte[16384])[8..].ToArray());
            }
        }
    }

    [Fact]
    public void EveryFlippedByteOfASignedAndEncryptedChunkIsRejected()
    {
        using var pair = CertificatePair.Create(2048, 2048);
        using var security = new ChannelSecurity(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, pair.Client, pair.ServerPublic);
        using var keys = SymmetricKeys.Derive(SecurityPolicy.Basic256Sha256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var chunk = SymmetricChunk(security, keys, RandomNumberGenerator.GetBytes(40), 1);
        for (var i = 0; i < chunk.Length; i++)
        {
            var mutated = (byte[])chunk.Clone();
            mutated[i] ^= 0x5A;
            var error = Assert.Throws<OpcUaProtocolException>(() => security.UnprotectSymmetric(keys, mutated, new byte[8192]).ToArray());
            Assert.Equal(StatusCodes.BadSecurityChecksFailed, error.StatusCode);
        }
    }

    [Fact]
    public void ChunkWithBadPaddingIsRejectedEvenWhenCorrectlySigned()
    {
        using var pair = CertificatePair.Create(2048, 2048);
        using var security = new ChannelSecurity(SecurityPolicy.Aes128Sha256RsaOaep, MessageSecurityMode.SignAndEncrypt, pair.Client, pair.ServerPublic);
        using var keys = SymmetricKeys.Derive(SecurityPolicy.Aes128Sha256RsaOaep, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        // Hand-made plaintext: 8-byte sequence header, 5-byte body, padding size 2 but padding bytes 2, 9 (bad), signature.
        var plain = new byte[ChannelSecurity.SymmetricSecurityHeaderEnd + 8 + 5 + 3 + 32];
        ChunkHeader.Write(plain, MessageType, ChunkKind.Final, plain.Length);
        plain[^35] = 2;
        plain[^34] = 9;
        plain[^33] = 2;
        keys.Sign(plain.AsSpan(0, plain.Length - 32), plain.AsSpan(plain.Length - 32));
        var encrypted = plain.AsSpan(ChannelSecurity.SymmetricSecurityHeaderEnd);
        keys.Encrypt(encrypted, encrypted);
        var error = Assert.Throws<OpcUaProtocolException>(() => security.UnprotectSymmetric(keys, plain, new byte[8192]).ToArray());
        Assert.Equal(StatusCodes.BadSecurityChecksFailed, error.StatusCode);
        Assert.Contains("padding", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChunkSignedWithAnotherTokensKeysIsRejected()
    {
        using var pair = CertificatePair.Create(2048, 2048);
        using var security = new ChannelSecurity(SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, pair.Client, pair.ServerPublic);
        using var old = SymmetricKeys.Derive(SecurityPolicy.Basic256Sha256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        using var renewed = SymmetricKeys.Derive(SecurityPolicy.Basic256Sha256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var chunk = SymmetricChunk(security, old, [1, 2, 3], 1);
        Assert.Throws<OpcUaProtocolException>(() => security.UnprotectSymmetric(renewed, chunk, new byte[8192]).ToArray());
    }

    [Fact]
    public void OpenResponseFromAnotherCertificateIsRejected()
    {
        using var pair = CertificatePair.Create(2048, 2048);
        using var impostor = CertificatePair.Create(2048, 2048);
        using var client = new ChannelSecurity(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, pair.Client, pair.ServerPublic);
        var error = Assert.Throws<OpcUaProtocolException>(() =>
            client.CheckAsymmetricHeader(SecurityPolicy.Basic256Sha256.Uri, impostor.Server.RawData, pair.Client.GetCertHash()));
        Assert.Equal(StatusCodes.BadCertificateInvalid, error.StatusCode);
        using var forged = new ChannelSecurity(SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, impostor.Server, pair.ClientPublic);
        var reply = OpenChunk(forged, [1, 2, 3], out var headerEnd);
        Assert.Throws<OpcUaProtocolException>(() => client.UnprotectAsymmetric(reply, headerEnd, new byte[16384]).ToArray());
    }

    [Fact]
    public void SymmetricBodyLimitFillsTheSendBufferExactly()
    {
        using var pair = CertificatePair.Create(2048, 2048);
        using var keys = SymmetricKeys.Derive(SecurityPolicy.Basic256Sha256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        foreach (var mode in new[] { MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt })
        {
            using var security = new ChannelSecurity(SecurityPolicy.Basic256Sha256, mode, pair.Client, pair.ServerPublic);
            foreach (var buffer in new[] { 8192, 8195, 65535 })
            {
                var max = security.MaxSymmetricBody(buffer, keys.SignatureSize);
                var chunk = SymmetricChunk(security, keys, new byte[max], 1);
                Assert.InRange(chunk.Length, buffer - 15, buffer);
            }
        }
    }

    internal static byte[] SymmetricChunk(ChannelSecurity security, SymmetricKeys keys, byte[] body, uint sequence)
    {
        var writer = new UaWriter();
        writer.Reserve(ChunkHeader.Length);
        writer.WriteUInt32(1);
        writer.WriteUInt32(1);
        writer.WriteUInt32(sequence);
        writer.WriteUInt32(1);
        writer.WriteBytes(body);
        security.ProtectSymmetric(keys, writer, MessageType, ChunkKind.Final);
        return writer.Written.ToArray();
    }

    private static byte[] OpenChunk(ChannelSecurity security, byte[] body, out int headerEnd)
    {
        var writer = new UaWriter();
        writer.Reserve(ChunkHeader.Length);
        writer.WriteUInt32(1);
        security.WriteAsymmetricHeader(writer);
        headerEnd = writer.Position;
        writer.WriteUInt32(1);
        writer.WriteUInt32(1);
        writer.WriteBytes(body);
        security.ProtectAsymmetric(writer, headerEnd, OpenType, ChunkKind.Final);
        return writer.Written.ToArray();
    }

    /// <summary>A client and a server certificate with keys, and copies of each without its key.</summary>
    internal sealed class CertificatePair : IDisposable
    {
        private CertificatePair(X509Certificate2 client, X509Certificate2 server)
        {
            Client = client;
            Server = server;
            ClientPublic = X509CertificateLoader.LoadCertificate(client.RawData);
            ServerPublic = X509CertificateLoader.LoadCertificate(server.RawData);
        }

        public X509Certificate2 Client { get; }

        public X509Certificate2 Server { get; }

        public X509Certificate2 ClientPublic { get; }

        public X509Certificate2 ServerPublic { get; }

        public static CertificatePair Create(int clientBits, int serverBits) => new(
            ApplicationCertificate.Create("urn:test:client", "client", ["localhost"], TimeSpan.FromDays(1), clientBits),
            ApplicationCertificate.Create("urn:test:server", "server", ["localhost"], TimeSpan.FromDays(1), serverBits));

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
            ClientPublic.Dispose();
            ServerPublic.Dispose();
        }
    }
}
