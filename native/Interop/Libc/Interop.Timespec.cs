using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct timespec on 64-bit Linux (time_t and long are both 64 bits).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;

            public static Timespec FromNanoseconds(long nanoseconds) =>
                new() { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };

            public readonly long ToNanoseconds() => (Seconds * 1_000_000_000) + Nanoseconds;
        }
    }
}
