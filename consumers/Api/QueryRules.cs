using EdgePartition.Config;
using EdgePartition.Consumers.Security;
using Microsoft.AspNetCore.Http;

namespace EdgePartition.Consumers.Api;

/// <summary>Strict query checking: an unknown parameter is a 400 (a typo should not silently mean "everything").</summary>
public static class QueryRules
{
    public static bool TryCheck(IQueryCollection query, ReadOnlySpan<string> allowed, out string? error)
    {
        foreach (var (key, values) in query)
        {
            if (key == BearerTokenMiddleware.QueryName)
            {
                continue;
            }

            if (!allowed.Contains(key))
            {
                error = allowed.IsEmpty
                    ? $"unknown query parameter '{key}': this endpoint takes none"
                    : $"unknown query parameter '{key}'; allowed: {string.Join(", ", allowed.ToArray())}";
                return false;
            }

            if (values.Count > 1)
            {
                error = $"query parameter '{key}' given {values.Count} times";
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>The tag name filter of <c>?name=</c>: comma-separated globs.</summary>
    public static bool TryNamePattern(IQueryCollection query, out NamePattern pattern, out string? error)
    {
        if (!NamePattern.TryParse(query["name"], out pattern, out error))
        {
            error = "name: " + error;
            return false;
        }

        return true;
    }
}
