using EdgePartition.OpcUa.Framing;

namespace EdgePartition.OpcUa.Channel;

/// <summary>Where a received chunk's message security is undone, between framing and assembly.</summary>
internal sealed partial class UaSecureChannel
{
    /// <summary>
    /// Returns the plain sequence header and body of one received chunk. <paramref name="chunk"/> is the whole chunk
    /// as received (header included, since a signature covers it); <paramref name="securityHeaderEnd"/> is where the
    /// protected part starts (Part 6 §6.7.2). With SecurityPolicy None nothing is protected. Signing and encryption
    /// belong here: verify the signature over the chunk, decrypt into a channel-owned buffer, strip padding and
    /// signature, and throw <see cref="OpcUaProtocolException"/> when verification fails.
    /// </summary>
    private static ReadOnlySpan<byte> Unprotect(ChunkHeader header, ReadOnlySpan<byte> chunk, int securityHeaderEnd)
    {
        _ = header;
        return chunk[securityHeaderEnd..];
    }
}
