using System.Globalization;

namespace EdgePartition.Sync.Bench;

/// <summary>CPU time (utime + stime from /proc/PID/stat) and resident memory (VmRSS) of a process.</summary>
internal readonly record struct ProcessStats(double CpuSeconds, long RssKiB)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static ProcessStats Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return new ProcessStats((utime + stime) / TicksPerSecond, rss);
    }
}
