using System.Diagnostics;
using System.Reflection;

namespace EdgePartition.Cli.Run;

/// <summary>
/// How to start another `edgepart` process the way this one was started: the apphost directly, or `dotnet edgepart.dll`
/// when this process runs under the muxer (tests, `dotnet run`).
/// </summary>
internal static class EdgepartExecutable
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var startInfo = new ProcessStartInfo(processPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        if (IsMuxer(processPath))
        {
            // Only a framework-dependent build runs under the muxer, and its edgepart.dll sits beside it.
            startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, EntryAssemblyName + ".dll"));
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    private static string EntryAssemblyName => Assembly.GetEntryAssembly()?.GetName().Name ?? "edgepart";

    private static bool IsMuxer(string processPath) =>
        Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
