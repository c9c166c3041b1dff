using System.Diagnostics;

namespace EdgePartition.Bench.Hosting;

/// <summary>
/// The "second process" that loads the machine: this harness started again with --burn, spinning one thread per
/// CPU on arithmetic and cache-thrashing memory writes at normal priority until it is killed.
/// </summary>
internal static class CpuBurner
{
    public static Process Start(int threads)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(CpuBurner).Assembly.Location);
        }

        startInfo.ArgumentList.Add("--burn");
        startInfo.ArgumentList.Add(threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the load process");
    }

    /// <summary>Runs in the child: never returns.</summary>
    public static void Burn(int threads)
    {
        for (int t = 0; t < threads; t++)
        {
            new Thread(Spin) { IsBackground = true }.Start();
        }

        Thread.Sleep(Timeout.Infinite);
    }

    private static void Spin()
    {
        var buffer = new long[4 * 1024 * 1024]; // 32 MiB: larger than the caches, so the load also evicts them
        long x = 1;
        for (long i = 0; ; i++)
        {
            x = (x * 6364136223846793005L) + 1442695040888963407L;
            buffer[(int)((ulong)x % (ulong)buffer.Length)] = x;
        }
    }
}
