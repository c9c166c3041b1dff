namespace EdgePartition.Config;

/// <summary>Device and tag name patterns of &lt;northbound&gt;: '*' any run, '?' one character, otherwise exact (case-sensitive, like names).</summary>
public static class NamePattern
{
    public static bool Matches(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        return MatchFrom(pattern, 0, name, 0);
    }

    private static bool MatchFrom(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                // Patterns are at most 48 characters and names too: the backtracking stays small.
                for (var k = n; k <= name.Length; k++)
                {
                    if (MatchFrom(pattern, p + 1, name, k))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (n >= name.Length || (c != '?' && c != name[n]))
            {
                return false;
            }

            p++;
            n++;
        }

        return n == name.Length;
    }
}
