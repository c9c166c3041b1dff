using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// How one SecureChannel protects its chunks (Part 6 §6.7.2): the policy and mode, our certificate and key, the
/// server's certificate and key. OPN chunks are signed with our key and encrypted for the server's (always, even in
/// Sign mode: Part 6 §6.7.4); MSG/CLO chunks with the token's symmetric keys: signed in Sign mode, padded, signed and
/// encrypted in SignAndEncrypt. Every chunk carries its own signature, so a multi-chunk message is signed per chunk.
/// </summary>
internal sealed class ChannelSecurity : IDisposable
{
    /// <summary>Chunk header + SecureChannelId: the part every signature covers before the security header.</summary>
    public const int MessageHeaderSize = 12;

    /// <summary>Message header + TokenId: where a symmetric chunk's protected part (the sequence header) starts.</summary>
    public const int SymmetricSecurityHeaderEnd = 16;

    public const int SequenceHeaderSize = 8;

    private readonly RSA? _localKey;
    private readonly RSA? _remoteKey;
    private readonly byte[]? _localCertificate;
    private readonly byte[]? _remoteCertificate;
    private readonly byte[]? _remoteThumbprint;
    private readonly byte[]? _localThumbprint;

    public ChannelSecurity(SecurityPolicy policy, MessageSecurityMode mode, X509Certificate2? local, X509Certificate2? remote)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Mode = policy.IsNone ? MessageSecurityMode.None : mode;
        if (policy.IsNone)
        {
            return;
        }

        if (mode is not (MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt))
        {
            throw new ArgumentException($"security policy {policy.Name} needs mode Sign or SignAndEncrypt, not {mode}", nameof(mode));
        }

        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        _localKey = local.GetRSAPrivateKey() ?? throw new ArgumentException("the client certificate has no RSA private key", nameof(local));
        _remoteKey = remote.GetRSAPublicKey() ?? throw new ArgumentException("the server certificate has no RSA public key", nameof(remote));
        _localCertificate = local.RawData;
        _remoteCertificate = remote.RawData;
        _localThumbprint = local.GetCertHash();
        _remoteThumbprint = remote.GetCertHash();
    }

    public static ChannelSecurity None { get; } = new(SecurityPolicy.None, MessageSecurityMode.None, null, null);

    public SecurityPolicy Policy { get; }

    public MessageSecurityMode Mode { get; }

    public bool IsSecure => !Policy.IsNone;

    public bool Encrypts => Mode == MessageSecurityMode.SignAndEncrypt;

    /// <summary>A fresh OPN nonce of the policy's length (empty for None).</summary>
    public byte[] NewNonce()
    {
        if (!IsSecure)
        {
            return [];
        }

        var nonce = new byte[Policy.NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return nonce;
    }

    /// <summary>OPN's asymmetric security header: policy URI, our certificate, the SHA-1 thumbprint of the server's.</summary>
    public void WriteAsymmetricHeader(UaWriter writer)
    {
        writer.WriteString(Policy.Uri);
        writer.WriteNullableByteString(_localCertificate);
        writer.WriteNullableByteString(_remoteThumbprint);
    }

    /// <summary>
    /// Checks a received OPN's asymmetric security header: same policy, sent by the server whose certificate we
    /// validated (its chain may follow the leaf), addressed to our certificate.
    /// </summary>
    public void CheckAsymmetricHeader(string? policyUri, ReadOnlySpan<byte> senderCertificate, ReadOnlySpan<byte> receiverThumbprint)
    {
        if (!string.Equals(policyUri, Policy.Uri, StringComparison.Ordinal))
        {
            throw Failure(StatusCodes.BadSecurityPolicyRejected, $"OPN response uses security policy '{policyUri}', the channel uses {Policy.Name}");
        }

        if (!IsSecure)
        {
            return;
        }

        if (!senderCertificate.StartsWith(_remoteCertificate))
        {
            throw Failure(StatusCodes.BadCertificateInvalid, "the OPN response is signed with another certificate than the server's endpoint certificate");
        }

        if (!receiverThumbprint.SequenceEqual(_localThumbprint))
        {
            throw Failure(StatusCodes.BadCertificateInvalid, "the OPN response is encrypted for another certificate than ours");
        }
    }

    /// <summary>
    /// Pads, signs and encrypts the OPN chunk in <paramref name="chunk"/> ([header][channel id][security header]
    /// [sequence header][body]) and fills in its header. Padding: a PaddingSize byte and that many bytes of its value,
    /// plus the high byte of the size when the server's key is longer than 2048 bits (Part 6 §6.7.2.5).
    /// </summary>
    public void ProtectAsymmetric(UaWriter chunk, int securityHeaderEnd, ReadOnlySpan<byte> typeName, ChunkKind kind)
    {
        if (!IsSecure)
        {
            ChunkHeader.Write(chunk.At(0, ChunkHeader.Length), typeName, kind, chunk.Position);
            return;
        }

        var signatureSize = _localKey!.KeySize / 8;
        var remoteBytes = _remoteKey!.KeySize / 8;
        var plainBlock = Policy.AsymmetricPlainBlockSize(remoteBytes);
        var extra = remoteBytes > 256;
        WritePadding(chunk, chunk.Position - securityHeaderEnd + signatureSize, plainBlock, extra);
        var plainLength = chunk.Position - securityHeaderEnd + signatureSize;
        var size = securityHeaderEnd + (plainLength / plainBlock * remoteBytes);
        ChunkHeader.Write(chunk.At(0, ChunkHeader.Length), typeName, kind, size);
        var signed = chunk.Position;
        chunk.Reserve(signatureSize);
        AsymmetricCrypto.Sign(Policy, _localKey, chunk.At(0, signed), chunk.At(signed, signatureSize));
        var plain = chunk.At(securityHeaderEnd, plainLength).ToArray();
        chunk.Position = securityHeaderEnd;
        chunk.Reserve(size - securityHeaderEnd);
        AsymmetricCrypto.Encrypt(Policy, _remoteKey, plain, chunk.At(securityHeaderEnd, size - securityHeaderEnd));
        CryptographicOperations.ZeroMemory(plain);
    }

    /// <summary>
    /// Decrypts a received OPN chunk with our key into <paramref name="scratch"/>, verifies the server's signature and
    /// strips padding and signature; returns the sequence header and body.
    /// </summary>
    public ReadOnlySpan<byte> UnprotectAsymmetric(ReadOnlySpan<byte> chunk, int securityHeaderEnd, byte[] scratch)
    {
        if (!IsSecure)
        {
            return chunk[securityHeaderEnd..];
        }

        var cipher = chunk[securityHeaderEnd..];
        var localBytes = _localKey!.KeySize / 8;
        if (cipher.Length == 0 || cipher.Length % localBytes != 0)
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, $"OPN response of {cipher.Length} encrypted bytes is not a whole number of {localBytes}-byte blocks");
        }

        chunk[..securityHeaderEnd].CopyTo(scratch);
        int plainLength;
        try
        {
            plainLength = AsymmetricCrypto.Decrypt(Policy, _localKey, cipher, scratch.AsSpan(securityHeaderEnd));
        }
        catch (CryptographicException error)
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, $"OPN response does not decrypt with our key: {error.Message}");
        }

        var whole = scratch.AsSpan(0, securityHeaderEnd + plainLength);
        var signatureSize = _remoteKey!.KeySize / 8;
        if (plainLength < SequenceHeaderSize + signatureSize + 1)
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, "OPN response too short for its signature");
        }

        var signedEnd = whole.Length - signatureSize;
        if (!AsymmetricCrypto.Verify(Policy, _remoteKey, whole[..signedEnd], whole[signedEnd..]))
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, "OPN response signature does not verify with the server's certificate");
        }

        var end = StripPadding(whole[..signedEnd], securityHeaderEnd, extra: localBytes > 256);
        return whole[securityHeaderEnd..end];
    }

    /// <summary>The largest body one symmetric chunk of <paramref name="sendBufferSize"/> bytes can carry.</summary>
    public int MaxSymmetricBody(int sendBufferSize, int signatureSize)
    {
        if (!IsSecure)
        {
            return sendBufferSize - SymmetricSecurityHeaderEnd - SequenceHeaderSize;
        }

        if (!Encrypts)
        {
            return sendBufferSize - SymmetricSecurityHeaderEnd - SequenceHeaderSize - signatureSize;
        }

        // Encryption covers sequence header .. signature in whole AES blocks; one byte is the PaddingSize.
        var encrypted = (sendBufferSize - SymmetricSecurityHeaderEnd) / SecurityPolicy.SymmetricBlockSize * SecurityPolicy.SymmetricBlockSize;
        return encrypted - SequenceHeaderSize - signatureSize - 1;
    }

    /// <summary>Signs (and in SignAndEncrypt pads and encrypts) a MSG/CLO chunk and fills in its header.</summary>
    public void ProtectSymmetric(SymmetricKeys? keys, UaWriter chunk, ReadOnlySpan<byte> typeName, ChunkKind kind)
    {
        if (!IsSecure || keys is null)
        {
            ChunkHeader.Write(chunk.At(0, ChunkHeader.Length), typeName, kind, chunk.Position);
            return;
        }

        var signatureSize = keys.SignatureSize;
        if (Encrypts)
        {
            WritePadding(chunk, chunk.Position - SymmetricSecurityHeaderEnd + signatureSize, SecurityPolicy.SymmetricBlockSize, extra: false);
        }

        var size = chunk.Position + signatureSize;
        ChunkHeader.Write(chunk.At(0, ChunkHeader.Length), typeName, kind, size);
        var signed = chunk.Position;
        chunk.Reserve(signatureSize);
        keys.Sign(chunk.At(0, signed), chunk.At(signed, signatureSize));
        if (Encrypts)
        {
            var encrypted = chunk.At(SymmetricSecurityHeaderEnd, size - SymmetricSecurityHeaderEnd);
            keys.Encrypt(encrypted, encrypted);
        }
    }

    /// <summary>
    /// Verifies (and decrypts, into <paramref name="scratch"/>) a received MSG/CLO chunk with the server's keys of
    /// its token; returns the sequence header and body.
    /// </summary>
    public ReadOnlySpan<byte> UnprotectSymmetric(SymmetricKeys? keys, ReadOnlySpan<byte> chunk, byte[] scratch)
    {
        if (!IsSecure || keys is null)
        {
            return chunk[SymmetricSecurityHeaderEnd..];
        }

        var whole = chunk;
        if (Encrypts)
        {
            var cipher = chunk[SymmetricSecurityHeaderEnd..];
            if (cipher.Length == 0 || cipher.Length % SecurityPolicy.SymmetricBlockSize != 0)
            {
                throw Failure(StatusCodes.BadSecurityChecksFailed, $"{cipher.Length} encrypted bytes are not a whole number of AES blocks");
            }

            chunk[..SymmetricSecurityHeaderEnd].CopyTo(scratch);
            keys.Decrypt(cipher, scratch.AsSpan(SymmetricSecurityHeaderEnd, cipher.Length));
            whole = scratch.AsSpan(0, chunk.Length);
        }

        var signatureSize = keys.SignatureSize;
        if (whole.Length < SymmetricSecurityHeaderEnd + SequenceHeaderSize + signatureSize)
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, "chunk too short for its signature");
        }

        var signedEnd = whole.Length - signatureSize;
        if (!keys.Verify(whole[..signedEnd], whole[signedEnd..]))
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, "chunk signature does not verify (tampered, or signed with another token's keys)");
        }

        var end = Encrypts ? StripPadding(whole[..signedEnd], SymmetricSecurityHeaderEnd, extra: false) : signedEnd;
        return whole[SymmetricSecurityHeaderEnd..end];
    }

    public void Dispose()
    {
        _localKey?.Dispose();
        _remoteKey?.Dispose();
    }

    internal static OpcUaProtocolException Failure(uint status, string message) =>
        new(ProtocolErrorReason.MalformedFrame, $"{message} ({StatusCodes.Describe(status)})", status);

    /// <summary>Appends padding so that the bytes to encrypt (<paramref name="length"/> + padding) fill whole blocks.</summary>
    private static void WritePadding(UaWriter chunk, int length, int block, bool extra)
    {
        var overhead = 1 + (extra ? 1 : 0);
        var padding = (block - ((length + overhead) % block)) % block;
        var low = (byte)padding;
        for (var i = 0; i <= padding; i++)
        {
            chunk.WriteByte(low);
        }

        if (extra)
        {
            chunk.WriteByte((byte)(padding >> 8));
        }
    }

    /// <summary>Checks the padding that ends <paramref name="signed"/>; returns where the body ends.</summary>
    private static int StripPadding(ReadOnlySpan<byte> signed, int start, bool extra)
    {
        var end = signed.Length;
        int padding;
        int total;
        if (extra)
        {
            padding = (signed[end - 1] << 8) | signed[end - 2];
            total = padding + 2;
        }
        else
        {
            padding = signed[end - 1];
            total = padding + 1;
        }

        if (end - total < start + SequenceHeaderSize)
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, $"padding of {padding} bytes is longer than the chunk");
        }

        var low = (byte)padding;
        var bytes = signed.Slice(end - total, padding + 1);
        if (bytes.ContainsAnyExcept(low))
        {
            throw Failure(StatusCodes.BadSecurityChecksFailed, "padding bytes do not match the padding size");
        }

        return end - total;
    }
}
