namespace EdgePartition.Config;

/// <summary>
/// A comma-separated list of glob patterns over device or tag names (<c>*</c> any run, <c>?</c> one character,
/// ordinal, case-sensitive like the tag names of the PLC program). Empty or absent means "everything".
/// Used by the websocket subscription, the tag list filter of the HTTP API, token scopes and the northbound publisher's
/// device and tag selection.
/// </summary>
public sealed class NamePattern
{
    public const int MaxTextLength = 1024;
    public const int MaxPatterns = 64;

    private readonly string[] _globs;

    private NamePattern(string[] globs, string text)
    {
        _globs = globs;
        Text = text;
    }

    public static NamePattern All { get; } = new([], "*");

    public string Text { get; }

    public bool MatchesEverything => _globs.Length == 0;

    /// <summary>Parses a pattern list; returns false with a reason a client can act on when it is not acceptable.</summary>
    public static bool TryParse(string? text, out NamePattern pattern, out string? error)
    {
        pattern = All;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text == "*")
        {
            return true;
        }

        if (text.Length > MaxTextLength)
        {
            error = $"pattern list longer than {MaxTextLength} characters";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                error = "pattern contains a control character";
                return false;
            }
        }

        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > MaxPatterns)
        {
            error = $"more than {MaxPatterns} patterns";
            return false;
        }

        foreach (var part in parts)
        {
            if (part == "*")
            {
                return true;
            }
        }

        pattern = new NamePattern(parts, text);
        return true;
    }

    public bool IsMatch(ReadOnlySpan<char> name)
    {
        if (_globs.Length == 0)
        {
            return true;
        }

        foreach (var glob in _globs)
        {
            if (GlobMatch(glob, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Iterative glob match with single-star backtracking: linear in practice, never exponential.</summary>
    /// <summary>Whether <paramref name="name"/> matches the single glob <paramref name="glob"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> glob, ReadOnlySpan<char> name) => GlobMatch(glob, name);

    private static bool GlobMatch(ReadOnlySpan<char> glob, ReadOnlySpan<char> name)
    {
        int g = 0, n = 0, starG = -1, starN = 0;
        while (n < name.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || glob[g] == name[n]))
            {
                g++;
                n++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                starG = g++;
                starN = n;
            }
            else if (starG >= 0)
            {
                g = starG + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}
