using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Channel;

/// <summary>
/// Where a received chunk's message security is undone, between framing and assembly: the token check (current
/// token, or the previous one until the server uses the new), signature verification, decryption and padding
/// removal (<see cref="ChannelSecurity"/>), then the sequence number check. Any failure is an
/// <see cref="OpcUaProtocolException"/> that faults the channel.
/// </summary>
internal sealed partial class UaSecureChannel
{
    private readonly ChannelSecurity _security;

    /// <summary>Decrypted chunks land here (the pipe's memory is read-only); one chunk at a time, receive loop only.</summary>
    private readonly byte[] _plainScratch;

    private ReceiveToken? _receiveToken;
    private ReceiveToken? _previousReceiveToken;
    private uint _lastReceivedSequence;
    private bool _receivedAny;

    /// <summary>The security the channel was opened with.</summary>
    public ChannelSecurity Security => _security;

    /// <summary>
    /// Returns the plain sequence header and body of one received chunk. <paramref name="chunk"/> is the whole chunk
    /// as received (header included, since a signature covers it); <paramref name="securityHeaderEnd"/> is where the
    /// protected part starts (Part 6 §6.7.2); <paramref name="tokenId"/> is a MSG/CLO chunk's token id.
    /// </summary>
    private ReadOnlySpan<byte> Unprotect(ChunkHeader header, ReadOnlySpan<byte> chunk, int securityHeaderEnd, uint tokenId)
    {
        var plain = header.Type == MessageType.OpenChannel
            ? _security.UnprotectAsymmetric(chunk, securityHeaderEnd, _plainScratch)
            : _security.UnprotectSymmetric(KeysOf(tokenId), chunk, _plainScratch);
        if (_security.IsSecure)
        {
            // Replay protection needs a signature to mean anything; policy None peers (and test scripts) are not held to it.
            CheckSequenceNumber(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(plain));
        }

        return plain;
    }

    /// <summary>
    /// node-opcua answers an OPN it refuses (e.g. our certificate is not trusted) with an ERR chunk laid out like an
    /// OPN: channel id, asymmetric security header, then the protected ServiceFault. Returns its status as an
    /// exception, or null when the ERR chunk is a plain transport error (Part 6 §7.1.2.5).
    /// </summary>
    private OpcUaProtocolException? SecuredError(ReadOnlySpan<byte> chunk)
    {
        if (!_security.IsSecure)
        {
            return null;
        }

        try
        {
            var reader = new Encoding.UaReader(chunk[ChunkHeader.Length..]);
            reader.ReadUInt32();
            if (!string.Equals(reader.ReadString(), _security.Policy.Uri, StringComparison.Ordinal))
            {
                return null;
            }

            reader.SkipByteString();
            reader.SkipByteString();
            var plain = _security.UnprotectAsymmetric(chunk, ChunkHeader.Length + reader.Position, _plainScratch);
            var fault = new Encoding.UaReader(plain[ChannelSecurity.SequenceHeaderSize..]);
            Services.ResponseHeader.Read(ref fault, Services.ServiceIds.OpenSecureChannelResponse, "OpenSecureChannel");
            return null;
        }
        catch (OpcUaProtocolException error) when (error.StatusCode != 0 && error.Reason == ProtocolErrorReason.PeerRejected)
        {
            return Refusal(error.StatusCode);
        }
        catch (OpcUaProtocolException)
        {
            // Not decodable with our keys: still a refusal of this OPN, most likely of our certificate.
            return Refusal(StatusCodes.BadSecurityChecksFailed);
        }
    }

    private static OpcUaProtocolException Refusal(uint status) => new(
        ProtocolErrorReason.AccessDenied,
        $"the server refused to open a secure channel: {StatusCodes.Describe(status)} (does the server trust our certificate? look in its rejected folder)",
        status);

    /// <summary>The server's keys for <paramref name="tokenId"/>; a chunk under the current token retires the previous one.</summary>
    private SymmetricKeys? KeysOf(uint tokenId)
    {
        if (_receiveToken is { } current && current.TokenId == tokenId)
        {
            if (_previousReceiveToken is { } previous)
            {
                _previousReceiveToken = null;
                previous.Keys?.Dispose();
            }

            return current.Keys;
        }

        if (_previousReceiveToken is { } old && old.TokenId == tokenId)
        {
            return old.Keys;
        }

        throw ChannelSecurity.Failure(StatusCodes.BadSecureChannelTokenUnknown, $"chunk under token {tokenId}, the channel's token is {_receiveToken?.TokenId}");
    }

    /// <summary>A new token from an OPN response: it becomes current, the one before stays valid until the server switches.</summary>
    private void InstallReceiveToken(uint tokenId, SymmetricKeys? keys)
    {
        _previousReceiveToken?.Keys?.Dispose();
        _previousReceiveToken = _receiveToken;
        _receiveToken = new ReceiveToken(tokenId, keys);
    }

    /// <summary>Each chunk's sequence number is one more than the last (Part 6 §6.7.2.4), wrapping below 1024 near the top.</summary>
    private void CheckSequenceNumber(uint sequence)
    {
        if (_receivedAny)
        {
            var expected = _lastReceivedSequence + 1;
            var wrapped = _lastReceivedSequence >= uint.MaxValue - 1024 && sequence < 1024;
            if (sequence != expected && !wrapped)
            {
                throw ChannelSecurity.Failure(
                    StatusCodes.BadSequenceNumberInvalid, $"sequence number {sequence} after {_lastReceivedSequence} (replayed, reordered or lost chunk)");
            }
        }

        _lastReceivedSequence = sequence;
        _receivedAny = true;
    }

    private sealed record ReceiveToken(uint TokenId, SymmetricKeys? Keys);
}
