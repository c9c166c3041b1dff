using System.Globalization;

namespace EdgePartition.Config;

/// <summary>
/// The tokens file, one token a line: <c>NAME ROLE sha256:HEX [DEVICE/TAG ...]</c> (role <c>read</c> or
/// <c>write</c>; the patterns use * and ?, e.g. <c>plc1/Setpoint*</c>); <c>#</c> starts a comment; the line
/// <c>@bearerToken write</c> lets the deprecated single bearerToken write. Parsed here and written here only.
/// </summary>
public static class TokenFileFormat
{
    public const string HashPrefix = "sha256:";
    public const string BearerTokenDirective = "@bearerToken";

    /// <summary>The line for a new token.</summary>
    public static string FormatLine(string name, AccessTokenRole role, ReadOnlySpan<byte> sha256, IEnumerable<string> scopes)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{name} {RoleName(role)} {HashPrefix}{Convert.ToHexStringLower(sha256)}");
        var scopeText = string.Join(' ', scopes);
        return scopeText.Length == 0 ? line : line + " " + scopeText;
    }

    public static string RoleName(AccessTokenRole role) => role == AccessTokenRole.Write ? "write" : "read";

    public static bool TryParseRole(string text, out AccessTokenRole role)
    {
        role = text switch { "write" => AccessTokenRole.Write, _ => AccessTokenRole.Read };
        return text is "read" or "write";
    }

    /// <summary>A token name: letters, digits, '.', '_', '-' (it appears in logs and the audit file).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && name[0] != '@';

    /// <summary>A scope is DEVICE/TAG with non-empty patterns (tag names may contain '/' after the first one).</summary>
    public static bool IsValidScope(string scope)
    {
        var slash = scope.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < scope.Length - 1 && !scope.Contains(',', StringComparison.Ordinal);
    }

    /// <summary>Reads <paramref name="path"/>; every problem is added with its line and column.</summary>
    public static TokensConfig Parse(string path, int writesPerSecond, Action<SourceLocation, string> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var tokens = new List<AccessTokenEntry>();
        var bearerRole = AccessTokenRole.Read;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem(new SourceLocation(path, 1, 1), $"cannot read the tokens file: {e.Message} (create it with 'edgepart token new NAME --role read|write')");
            return new TokensConfig { FilePath = path, WritesPerSecond = writesPerSecond };
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var at = new SourceLocation(path, i + 1, 1);
            var text = lines[i];
            var comment = text.IndexOf('#', StringComparison.Ordinal);
            var fields = (comment >= 0 ? text[..comment] : text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields[0] == BearerTokenDirective)
            {
                if (fields.Length != 2 || !TryParseRole(fields[1], out bearerRole))
                {
                    problem(at, $"expected '{BearerTokenDirective} read' or '{BearerTokenDirective} write'");
                }

                continue;
            }

            if (ParseToken(fields, at, problem) is { } entry)
            {
                if (!names.Add(entry.Name))
                {
                    problem(at, $"token name '{entry.Name}' appears twice; names identify tokens in the audit file");
                }

                tokens.Add(entry);
            }
        }

        return new TokensConfig { FilePath = path, Tokens = tokens, BearerTokenRole = bearerRole, WritesPerSecond = writesPerSecond };
    }

    private static AccessTokenEntry? ParseToken(string[] fields, SourceLocation at, Action<SourceLocation, string> problem)
    {
        if (fields.Length < 3)
        {
            problem(at, "expected NAME ROLE sha256:HEX [DEVICE/TAG ...] (the line 'edgepart token new' prints)");
            return null;
        }

        var ok = true;
        if (!IsValidName(fields[0]))
        {
            problem(at, $"token name '{fields[0]}' may only hold letters, digits, '.', '_' and '-'");
            ok = false;
        }

        if (!TryParseRole(fields[1], out var role))
        {
            problem(at, $"role '{fields[1]}' is not 'read' or 'write'");
            ok = false;
        }

        byte[] hash = [];
        if (!fields[2].StartsWith(HashPrefix, StringComparison.Ordinal) || fields[2].Length != HashPrefix.Length + 64 ||
            !TryHex(fields[2].AsSpan(HashPrefix.Length), out hash))
        {
            problem(at, "the third field must be sha256: and 64 hex digits (the file never holds a token itself)");
            ok = false;
        }

        var scopes = fields[3..];
        foreach (var scope in scopes)
        {
            if (!IsValidScope(scope))
            {
                problem(at, $"scope '{scope}' is not DEVICE/TAG (patterns with * and ?, e.g. plc1/Setpoint*)");
                ok = false;
            }
        }

        if (scopes.Length > 0 && role == AccessTokenRole.Read)
        {
            problem(at, "scopes limit writes; a read token has none (use role write, or drop the scopes)");
            ok = false;
        }

        return ok ? new AccessTokenEntry(fields[0], role, hash, scopes, at) : null;
    }

    private static bool TryHex(ReadOnlySpan<char> text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
