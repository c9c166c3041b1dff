using System.Buffers.Binary;
using EdgePartition.Hosting.Cycles;

namespace EdgePartition.Bench.Hosting;

/// <summary>
/// What a sync cycle does in memory, at the demo's scale times ten: copy 3 device send blocks (1 KiB each) into a
/// merged image, bump the server heartbeat, find the changed ranges against the last image written back. It also
/// records every scheduled cycle's lateness, so percentiles cover the whole run and not only the loop's window.
/// </summary>
internal sealed class SyncLikeWork(int maxSamples) : ICycleWork
{
    private const int BlockSize = 1024;
    private const int Devices = 3;

    private readonly byte[][] _sendBlocks = [new byte[BlockSize], new byte[BlockSize], new byte[BlockSize]];
    private readonly byte[] _image = new byte[(BlockSize * Devices) + 4];
    private readonly byte[] _lastWritten = new byte[(BlockSize * Devices) + 4];
    private readonly long[] _lateness = new long[maxSamples];
    private int _count;
    private ushort _heartbeat;

    public long ChangedBytes { get; private set; }

    public ReadOnlySpan<long> Lateness => _lateness.AsSpan(0, _count);

    public ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken)
    {
        if (tick.Trigger == CycleTrigger.Scheduled && _count < _lateness.Length)
        {
            _lateness[_count++] = tick.StartNanoseconds - tick.DeadlineNanoseconds;
        }

        // Devices change a few values per cycle.
        for (int device = 0; device < Devices; device++)
        {
            var block = _sendBlocks[device];
            BinaryPrimitives.WriteInt32BigEndian(block.AsSpan((int)(tick.Sequence % 64) * 4), (int)tick.Sequence);
            block.CopyTo(_image.AsSpan(device * BlockSize));
        }

        BinaryPrimitives.WriteUInt16BigEndian(_image.AsSpan(BlockSize * Devices), _heartbeat++);

        // Delta write-back: only the changed ranges would go to the PLCs.
        var image = _image.AsSpan();
        var last = _lastWritten.AsSpan();
        int offset = 0;
        while (offset < image.Length)
        {
            int differs = image[offset..].IndexOfAnyExcept(last[offset..]);
            if (differs < 0)
            {
                break;
            }

            int start = offset + differs;
            int same = image[start..].SequenceEqual(last[start..]) ? image.Length - start : FirstEqual(image[start..], last[start..]);
            ChangedBytes += same;
            offset = start + Math.Max(same, 1);
        }

        image.CopyTo(last);
        return ValueTask.CompletedTask;
    }

    private static int FirstEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                return i;
            }
        }

        return a.Length;
    }
}
