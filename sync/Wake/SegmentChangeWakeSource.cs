using EdgePartition.Hosting.Cycles;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Wake;

/// <summary>
/// Wakes the sync cycle when any device segment commits: one futex_waitv (Linux 5.16+) on every attached segment's
/// futex word, each expected at the value read before that device's last snapshot, so a commit that landed after
/// the snapshot returns at once. Without futex_waitv it waits on the first device's word (still bounded by the
/// cycle deadline); with no device attached it is the cycle timer. While it sleeps it is counted in every watched
/// segment's waiters file, without which writers skip FUTEX_WAKE. Used only from the cycle thread.
/// </summary>
internal sealed class SegmentChangeWakeSource : ICycleWakeSource
{
    private readonly DeviceSource[] _sources;
    private readonly ILogger _logger;
    private readonly int[] _versions;
    private readonly FutexWaitSet _words = new();
    private readonly DeviceSource?[] _watched = new DeviceSource?[FutexWaitSet.MaxWords];
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
        var timeoutNs = Nanoseconds.From(timeout);
        if (timeoutNs <= 0)
        {
            return false;
        }

        RebuildIfAttachmentsChanged();
        if (_words.Count == 0)
        {
            Thread.Sleep(timeout);
            return false;
        }

        for (var i = 0; i < _words.Count; i++)
        {
            _words.SetExpected(i, _watched[i]!.FutexSeen);
        }

        // Counted as a waiter in every watched segment before the kernel compares the words, so each writer
        // either sees the count and wakes, or has already changed a word and the wait returns at once.
        for (var i = 0; i < _words.Count; i++)
        {
            _watched[i]!.FutexWord!.EnterWait();
        }

        try
        {
            return Wait(timeoutNs);
        }
        finally
        {
            for (var i = 0; i < _words.Count; i++)
            {
                _watched[i]!.FutexWord!.ExitWait();
            }
        }
    }

    private bool Wait(long timeoutNs)
    {
        bool changed;
        if (UsesFutexWaitv)
        {
            var outcome = _words.WaitUntil(MonotonicClock.NowNanoseconds + timeoutNs);
            if (outcome == FutexWaitOutcome.Unsupported)
            {
                UsesFutexWaitv = false;
                Log.FutexWaitvUnavailable(_logger);
                return false;
            }

            changed = outcome == FutexWaitOutcome.Changed;
        }
        else
        {
            var first = _watched[0]!;
            changed = FutexWaitSet.WaitOne(first.FutexWord!, first.FutexSeen, timeoutNs);
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
        _words.Clear();
        foreach (var source in _sources)
        {
            if (source.FutexWord is { } word && _words.Count < FutexWaitSet.MaxWords)
            {
                _watched[_words.Count] = source;
                _words.TryAdd(word);
            }
        }
    }
}
