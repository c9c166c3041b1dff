using System.Runtime.InteropServices;

namespace EdgePartition.Sync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct timespec on 64-bit Linux (time_t and long are both 64 bits).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Timespec
        {
            internal long Seconds;
            internal long Nanoseconds;

            internal static Timespec FromNanoseconds(long nanoseconds) => new()
            {
                Seconds = nanoseconds / 1_000_000_000,
                Nanoseconds = nanoseconds % 1_000_000_000,
            };
        }

        [LibraryImport(LibraryName, EntryPoint = "clock_gettime", SetLastError = true)]
        internal static unsafe partial int ClockGetTime(int clock, Timespec* now);

        internal static unsafe long MonotonicNanoseconds()
        {
            Timespec now;
            _ = ClockGetTime(CLOCK_MONOTONIC, &now);
            return (now.Seconds * 1_000_000_000) + now.Nanoseconds;
        }
    }
}
