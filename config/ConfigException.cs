namespace EdgePartition.Config;

/// <summary>
/// The configuration is invalid. Carries every problem of every file; a program prints them one per line and exits
/// with <see cref="ExitCode"/> (EX_CONFIG) before touching any device.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>EX_CONFIG from sysexits.h: configuration error.</summary>
    public const int ExitCode = 78;

    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string FormatMessage(IReadOnlyList<ConfigProblem> problems) =>
        problems.Count == 1
            ? $"invalid configuration: {problems[0]}"
            : $"invalid configuration, {problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
}
