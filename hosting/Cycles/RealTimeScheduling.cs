using System.Runtime.InteropServices;
using EdgePartition.Native;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Cycles;

/// <summary>Applies <see cref="RealTimeOptions"/> to the calling thread, or explains why it cannot.</summary>
internal static partial class RealTimeScheduling
{
    /// <summary>
    /// Timer slack lets the kernel delay a normal thread's wake-up by up to 50 µs to batch wake-ups; a cycle thread
    /// wants its deadline, so ask for 1 ns (SCHED_FIFO threads get zero slack anyway).
    /// </summary>
    public static void MinimizeTimerSlack() => Interop.Libc.Prctl(Interop.Libc.PR_SET_TIMERSLACK, 1, 0, 0, 0);

    public static unsafe RealTimeState ApplyToCurrentThread(string cycleName, RealTimeOptions? options, ILogger logger)
    {
        if (options is null || (options.Priority is null && options.CpuAffinity is null))
        {
            return RealTimeState.NotRequested;
        }

        bool applied = true;
        if (options.CpuAffinity is { } cpus)
        {
            applied &= TryPin(cycleName, cpus, logger);
        }

        if (options.Priority is int priority)
        {
            var param = new Interop.Libc.SchedParam { Priority = priority };
            if (Interop.Libc.SchedSetScheduler(0, Interop.Libc.SCHED_FIFO, &param) == 0)
            {
                LogRealTimeApplied(logger, cycleName, priority);
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                applied = false;
                if (errno == Interop.Libc.EPERM)
                {
                    LogRealTimeRefused(logger, cycleName, priority);
                }
                else
                {
                    LogRealTimeFailed(logger, cycleName, priority, errno, Marshal.GetPInvokeErrorMessage(errno));
                }
            }
        }

        return applied ? RealTimeState.Applied : RealTimeState.Fallback;
    }

    private static unsafe bool TryPin(string cycleName, IReadOnlyList<int> cpus, ILogger logger)
    {
        byte* mask = stackalloc byte[Interop.Libc.CpuSetBytes];
        new Span<byte>(mask, Interop.Libc.CpuSetBytes).Clear();
        foreach (int cpu in cpus)
        {
            if (cpu < 0 || cpu >= Interop.Libc.CpuSetBytes * 8)
            {
                LogAffinityFailed(logger, cycleName, string.Join(',', cpus), $"CPU {cpu} is out of range");
                return false;
            }

            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        }

        if (Interop.Libc.SchedSetAffinity(0, Interop.Libc.CpuSetBytes, mask) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        LogAffinityFailed(logger, cycleName, string.Join(',', cpus), Marshal.GetPInvokeErrorMessage(errno));
        return false;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Cycle {Cycle} runs SCHED_FIFO at priority {Priority}")]
    private static partial void LogRealTimeApplied(ILogger logger, string cycle, int priority);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Cycle {Cycle}: SCHED_FIFO priority {Priority} not permitted (RLIMIT_RTPRIO is below it and the process lacks CAP_SYS_NICE; in the unit set RestrictRealtime=no and LimitRTPRIO={Priority}, which `edgepart systemd units` does when the partition configures real-time; in a container add --ulimit rtprio={Priority} or --cap-add SYS_NICE). Running with normal scheduling: expect more jitter under load")]
    private static partial void LogRealTimeRefused(ILogger logger, string cycle, int priority);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Cycle {Cycle}: SCHED_FIFO priority {Priority} failed (errno {Errno}: {Error}). Running with normal scheduling")]
    private static partial void LogRealTimeFailed(ILogger logger, string cycle, int priority, int errno, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Cycle {Cycle}: pinning to CPUs {Cpus} failed ({Error}). Running on any CPU")]
    private static partial void LogAffinityFailed(ILogger logger, string cycle, string cpus, string error);
}
