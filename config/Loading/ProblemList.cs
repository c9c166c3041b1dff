namespace EdgePartition.Config.Loading;

/// <summary>Collects problems in the order found, so that one run reports everything wrong at once.</summary>
internal sealed class ProblemList
{
    private readonly List<ConfigProblem> _problems = [];

    public int Count => _problems.Count;

    public IReadOnlyList<ConfigProblem> Items => _problems;

    public void Add(SourceLocation location, string message) => _problems.Add(new ConfigProblem(location, message));

    public void Add(string file, int line, int column, string message) => _problems.Add(new ConfigProblem(file, line, column, message));

    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new ConfigException(_problems.ToArray());
        }
    }
}
