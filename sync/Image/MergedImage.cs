using System.Buffers.Binary;
using EdgePartition.Config;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Image;

/// <summary>
/// The merged image: every contribution's raw device bytes at its image offset (a BOOL as one bit), the server
/// heartbeat as a 16-bit big-endian INT and one alive bit per device. A device whose value is not good keeps its
/// last bytes in the image (the alive flag tells the PLCs); nothing is zeroed behind a reader's back.
/// </summary>
internal sealed class MergedImage
{
    private readonly SyncConfig _config;
    private readonly BoundContribution[] _contributions;
    private readonly ILogger _logger;
    private readonly byte[] _scratch;

    public MergedImage(SyncConfig config, BoundContribution[] contributions, ILogger logger)
    {
        _config = config;
        _contributions = contributions;
        _logger = logger;
        Bytes = new byte[config.ImageSize];
        var largest = 0;
        foreach (var c in contributions)
        {
            largest = Math.Max(largest, c.Contribution.ByteLength);
        }

        _scratch = new byte[Math.Max(largest, 8)];
    }

    public byte[] Bytes { get; }

    public ReadOnlySpan<byte> Span => Bytes;

    /// <summary>Copies every contribution whose device has a new snapshot with a good value into the image.</summary>
    public void CopyContributions()
    {
        foreach (var bound in _contributions)
        {
            // An unchanged snapshot holds what the image already has.
            var source = bound.Source;
            if (!source.Changed)
            {
                continue;
            }

            var tag = source.TagIndex(bound.TagHandle);
            if (tag < 0)
            {
                continue;
            }

            var snapshot = source.Snapshot;
            if (IpcQuality.IsBad(snapshot.GetQuality(tag)))
            {
                continue;
            }

            var c = bound.Contribution;
            if (c.IsBit)
            {
                SetBit(c.ImageOffset, c.ImageBit, RawValueEncoder.ReadFlag(snapshot, tag));
                continue;
            }

            var target = Bytes.AsSpan(c.ImageOffset, c.ByteLength);
            if (!RawValueEncoder.TryEncode(snapshot, tag, bound.Format, _scratch.AsSpan(0, c.ByteLength)))
            {
                if (!bound.ReportedUnsupported)
                {
                    bound.ReportedUnsupported = true;
                    Log.ContributionUnsupported(_logger, c.Device, c.Tag, snapshot.Layout.Tag(tag).DataType, bound.Tag.DataType);
                }

                continue;
            }

            _scratch.AsSpan(0, c.ByteLength).CopyTo(target);
        }
    }

    /// <summary>Writes the counter (already reduced modulo the configured range) as a big-endian INT.</summary>
    public void WriteServerHeartbeat(int value)
    {
        if (_config.ServerHeartbeat is { } heartbeat)
        {
            BinaryPrimitives.WriteInt16BigEndian(Bytes.AsSpan(heartbeat.ImageOffset, ServerHeartbeatConfig.ByteLength), (short)value);
        }
    }

    /// <summary>Sets alive bit <paramref name="index"/> (device order of the alive-flags config).</summary>
    public void WriteAliveFlag(int index, bool alive)
    {
        if (_config.AliveFlags is { } flags)
        {
            SetBit(flags.ImageOffset + (index / 8), index % 8, alive);
        }
    }

    private void SetBit(int offset, int bit, bool value)
    {
        var mask = (byte)(1 << bit);
        Bytes[offset] = value ? (byte)(Bytes[offset] | mask) : (byte)(Bytes[offset] & ~mask);
    }
}
