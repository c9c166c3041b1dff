using System.Buffers;

namespace EdgePartition.OpcUa.Framing;

/// <summary>
/// Cuts UA TCP chunks out of a byte stream (Part 6 §7.1.2). Pure and synchronous: <see cref="TryRead"/> either
/// returns a whole chunk and advances the reader past it, or returns false without consuming when bytes are missing,
/// or throws as soon as the 8-byte header is invalid or declares more than <c>maxChunkSize</c> bytes, before a body
/// whose size cannot be trusted is waited for.
/// </summary>
internal static class ChunkFrameReader
{
    /// <summary>
    /// Reads one chunk: its validated header and the whole chunk (header included, as signatures cover it) as a slice
    /// of the reader's sequence, valid until the caller advances the pipe.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, int maxChunkSize, out ChunkHeader header, out ReadOnlySequence<byte> chunk)
    {
        chunk = default;
        Span<byte> raw = stackalloc byte[ChunkHeader.Length];
        if (!reader.TryCopyTo(raw))
        {
            header = default;
            return false;
        }

        header = ChunkHeader.Parse(raw, maxChunkSize);
        if (reader.Remaining < header.Size)
        {
            return false;
        }

        chunk = reader.UnreadSequence.Slice(0, header.Size);
        reader.Advance(header.Size);
        return true;
    }
}
