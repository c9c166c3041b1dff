using System.Text.RegularExpressions;

namespace EdgePartition.Hosting.Tests;

/// <summary>
/// The Dockerfile's structure: stages on Microsoft's images by default, non-root user, health check, entry point, and a
/// restore step that knows every project. <see cref="DockerImageTests"/> builds and runs it for real.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = JoinContinuations(File.ReadAllLines(RepoPaths.Combine("Dockerfile")));

    [Fact]
    public void BuildsInTheSdkAndRunsOnRuntimeDeps()
    {
        var stages = Lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();

        Assert.Equal(2, stages.Length);
        Assert.Equal("FROM ${SDK_IMAGE} AS build", stages[0]);
        Assert.Equal("FROM ${RUNTIME_IMAGE} AS runtime", stages[1]);
        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0", Lines);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0", Lines);
        Assert.Contains(Lines, line => line.StartsWith("COPY --from=build /out ", StringComparison.Ordinal));
        Assert.Contains(Lines, line => line.Contains("dotnet publish cli/EdgePartition.Cli.csproj", StringComparison.Ordinal)
            && line.Contains("--self-contained", StringComparison.Ordinal) && line.Contains("-p:PublishSingleFile=true", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRuntimeStageRunsAsANonRootUser()
    {
        var runtime = RuntimeStage();
        var user = Assert.Single(runtime, line => line.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();

        Assert.DoesNotContain(user, new[] { "root", "0", "0:0", "root:root" });
        Assert.True(runtime.IndexOf(runtime.Single(line => line.StartsWith("USER ", StringComparison.Ordinal))) < runtime.IndexOf(runtime.Single(line => line.StartsWith("ENTRYPOINT", StringComparison.Ordinal))));
    }

    [Fact]
    public void HealthCheckProbesHealthz()
    {
        var healthCheck = Assert.Single(RuntimeStage(), line => line.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));

        Assert.Contains("GET /healthz", healthCheck);
        Assert.Matches(@"--interval=\d+s", healthCheck);
    }

    [Fact]
    public void EntryPointRunsThePartitionFromTheMountedDirectory()
    {
        var runtime = RuntimeStage();

        Assert.Contains("ENTRYPOINT [\"/opt/edgepart/edgepart\"]", runtime);
        Assert.Contains("CMD [\"run\", \"/etc/edgepart/partition.xml\"]", runtime);
    }

    [Fact]
    public void TheRestoreStepCopiesEveryProjectTheCliNeeds()
    {
        var copied = Lines.Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && line.Contains(".csproj", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[1])
            .ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure("cli/EdgePartition.Cli.csproj"))
        {
            Assert.True(copied.Contains(project), $"the Dockerfile's restore step does not COPY {project}");
        }
    }

    [Fact]
    public void TheBuildContextExcludesOutputsAndTests()
    {
        var ignored = File.ReadAllLines(RepoPaths.Combine(".dockerignore"));

        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        Assert.Contains(".git", ignored);
        Assert.Contains("tests", ignored);
    }

    private static string[] RuntimeStage()
        => Lines.SkipWhile(line => !line.StartsWith("FROM ${RUNTIME_IMAGE}", StringComparison.Ordinal)).ToArray();

    /// <summary>The repo-relative projects <paramref name="project"/> references, itself included, transitively.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var closure = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!closure.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(RepoPaths.Combine(next))!;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(RepoPaths.Combine(next))))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Groups[1].Value));
                pending.Push(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }

        return closure;
    }

    /// <summary>Joins "\"-continued lines and drops comments, as Docker reads instructions.</summary>
    private static string[] JoinContinuations(string[] raw)
    {
        var instructions = new List<string>();
        var current = string.Empty;
        foreach (var line in raw)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#') || trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.EndsWith('\\'))
            {
                current += trimmed[..^1] + " ";
                continue;
            }

            instructions.Add(current + trimmed);
            current = string.Empty;
        }

        return [.. instructions];
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
