using System.Diagnostics;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>The echo side of a ping-pong: this same program started again in a child mode.</summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;

    private Child(Process process) => _process = process;

    public static Child Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Child).Assembly.Location);
        }

        info.ArgumentList.Add("child");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new Child(Process.Start(info)!);
    }

    public static void SignalReady()
    {
        Console.WriteLine("ready");
        Console.Out.Flush();
    }

    public void WaitReady()
    {
        if (_process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException("benchmark child failed to start");
        }
    }

    public void WaitExit()
    {
        if (!_process.WaitForExit(60_000))
        {
            _process.Kill();
            throw new TimeoutException("benchmark child did not finish");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
