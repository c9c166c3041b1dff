namespace EdgePartition.Hosting;

internal static partial class Interop
{
    /// <summary>The few errno values the hosting code branches on (Linux asm-generic numbering, same on x64 and ARM).</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int EINVAL = 22;
        internal const int ETIMEDOUT = 110;
    }
}
