using System.Reflection;

namespace EdgePartition.Testing;

/// <summary>
/// Where the repository is, whatever folder the tests were built into (tests/Directory.Build.props stamps the path
/// into every test assembly), so tests find config/xml examples and the peers under tests/peers.
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string PeersDirectory => Path.Combine(Root, "tests", "peers");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        foreach (var assembly in new[] { Assembly.GetEntryAssembly(), typeof(RepoPaths).Assembly }.Concat(AppDomain.CurrentDomain.GetAssemblies()))
        {
            var root = assembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "EdgePartition.RepoRoot")?.Value;
            if (root is not null && Directory.Exists(root))
            {
                return root;
            }
        }

        throw new InvalidOperationException("EdgePartition.RepoRoot metadata is missing: build the tests through tests/Directory.Build.props");
    }
}
