using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>prctl option that sets how far the kernel may delay this thread's timers to batch wake-ups.</summary>
        internal const int PR_SET_TIMERSLACK = 29;

        /// <summary>prctl option: the signal this process gets when the thread that started it dies.</summary>
        internal const int PR_SET_PDEATHSIG = 1;

        [LibraryImport(Libraries.Libc, EntryPoint = "prctl", SetLastError = true)]
        internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
