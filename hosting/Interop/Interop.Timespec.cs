using System.Runtime.InteropServices;

namespace EdgePartition.Hosting;

internal static partial class Interop
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
}
