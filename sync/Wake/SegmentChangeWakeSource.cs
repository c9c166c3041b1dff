using EdgePartition.Hosting.Cycles;
using EdgePartition.Sync.Devices;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Wake;

/// <summary>
/// Wakes the sync cycle when any device segment commits: one futex_waitv (Linux 5.16+) on every attached segment's
/// futex word, each expected at the value read before that device's last snapshot, so a commit that landed after
/// the snapshot returns at once. Without futex_waitv it waits on the first device's word (still bounded by the
/// cycle deadline); with no device attached it is the cycle timer. Used only from the cycle thread.
/// </summary>
internal sealed unsafe class SegmentChangeWakeSource : ICycleWakeSource
{
    private readonly DeviceSource[] _sources;
    private readonly ILogger _logger;
    private readonly int[] _versions;
    private readonly Interop.Libc.FutexWaitv[] _waiters = GC.AllocateArray<Interop.Libc.FutexWaitv>(Interop.Libc.FutexWaitvMax, pinned: true);
    private readonly DeviceSource?[] _watched = new DeviceSource?[Interop.Libc.FutexWaitvMax];
    private int _count;
    private bool _rebuild = true;

    public SegmentChangeWakeSource(DeviceSource[] sources, ILogger logger)
    {
        _sources = sources;
        _logger = logger;
        _versions = new int[sources.Length];
    }

    /// <summary>False once the kernel refused futex_waitv; the single-word fallback is in use.</summary>
    public bool UsesFutexWaitv { get; private set; } = true;

    public ulong Wakes { get; private set; }

    public bool WaitForWake(TimeSpan timeout)
    {
        var timeoutNs = timeout.Ticks * 100;
        if (timeoutNs <= 0)
        {
            return false;
        }

        RebuildIfAttachmentsChanged();
        if (_count == 0)
        {
            Thread.Sleep(timeout);
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            _waiters[i].Value = _watched[i]!.FutexSeen;
        }

        bool changed;
        if (UsesFutexWaitv)
        {
            var deadline = Interop.Libc.MonotonicNanoseconds() + timeoutNs;
            fixed (Interop.Libc.FutexWaitv* waiters = _waiters)
            {
                var outcome = FutexWaitMany.WaitUntil(waiters, _count, deadline);
                if (outcome == FutexWaitOutcome.Unsupported)
                {
                    UsesFutexWaitv = false;
                    Log.FutexWaitvUnavailable(_logger);
                    return false;
                }

                changed = outcome == FutexWaitOutcome.Changed;
            }
        }
        else
        {
            var first = _watched[0]!;
            changed = FutexWaitMany.WaitOne(first.FutexWord!.Word, first.FutexSeen, timeoutNs);
        }

        if (changed)
        {
            Wakes++;
        }

        return changed;
    }

    private void RebuildIfAttachmentsChanged()
    {
        for (var i = 0; i < _sources.Length; i++)
        {
            if (_versions[i] != _sources[i].AttachmentVersion)
            {
                _versions[i] = _sources[i].AttachmentVersion;
                _rebuild = true;
            }
        }

        if (!_rebuild)
        {
            return;
        }

        _rebuild = false;
        _count = 0;
        foreach (var source in _sources)
        {
            if (source.FutexWord is { } word && _count < _waiters.Length)
            {
                _watched[_count] = source;
                _waiters[_count] = new Interop.Libc.FutexWaitv
                {
                    Address = (ulong)word.Word,
                    Flags = Interop.Libc.FUTEX2_SIZE_U32,
                };
                _count++;
            }
        }
    }
}
