using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgePartition.Benchmarks;

/// <summary>
/// The <c>micro</c> sub-command of every bench harness: BenchmarkDotNet over the benchmark classes of one assembly,
/// with allocations per operation. Linked into each harness project (bench/*/…csproj), not a library of its own.
/// </summary>
internal static class InProcessBenchmarks
{
    public static int Run(Assembly benchmarks, string area, string[] args)
    {
        // In-process: no per-benchmark project to generate and restore (the package mirror serves only what the
        // repository restores), the harness's own runtime settings apply, and the short job keeps a run to a few
        // minutes on a shared machine.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), $"edgepart-bench-{area}-micro"));
        var summaries = BenchmarkSwitcher.FromAssembly(benchmarks).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
