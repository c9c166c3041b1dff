namespace EdgePartition.Config.Loading;

/// <summary>
/// Problems found while reading configuration files. At most <see cref="MaxPerFile"/> are kept per file, then one
/// "and N more" line: a file of a million bad entries must give a readable report in bounded memory, not a million
/// lines (or an OutOfMemoryException).
/// </summary>
internal sealed class ProblemList
{
    /// <summary>Problems listed per file before the rest are only counted.</summary>
    public const int MaxPerFile = 100;

    private readonly List<ConfigProblem> _problems = [];
    private readonly Dictionary<string, int> _perFile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unlisted = new(StringComparer.Ordinal);
    private int _unlistedTotal;

    /// <summary>Every problem found, listed or only counted.</summary>
    public int Count => _problems.Count + _unlistedTotal;

    /// <summary>The listed problems, then one summary line per file whose problems passed the cap.</summary>
    public IReadOnlyList<ConfigProblem> Items
    {
        get
        {
            if (_unlistedTotal == 0)
            {
                return _problems;
            }

            var items = new List<ConfigProblem>(_problems);
            foreach (var (file, count) in _unlisted)
            {
                items.Add(new ConfigProblem(file, 1, 1, $"and {count} more problem(s) in this file (only the first {MaxPerFile} are listed)"));
            }

            return items;
        }
    }

    public void Add(SourceLocation location, string message) => Add(location.File, location.Line, location.Column, message);

    public void Add(string file, int line, int column, string message)
    {
        _perFile.TryGetValue(file, out var listed);
        if (listed >= MaxPerFile)
        {
            _unlisted[file] = _unlisted.GetValueOrDefault(file) + 1;
            _unlistedTotal++;
            return;
        }

        _perFile[file] = listed + 1;
        _problems.Add(new ConfigProblem(file, line, column, message));
    }

    public void ThrowIfAny()
    {
        if (Count > 0)
        {
            throw new ConfigException([.. Items]);
        }
    }
}
