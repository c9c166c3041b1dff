using EdgePartition.Config;
using Microsoft.AspNetCore.Http;

namespace EdgePartition.Consumers.Security;

/// <summary>
/// Who made a request: the token's name, its role and the device/tag patterns its writes are limited to. Requests
/// to an endpoint without tokens are the read-only <see cref="Anonymous"/> caller.
/// </summary>
public sealed class Caller
{
    private static readonly object ItemKey = new();
    private readonly (NamePattern Device, NamePattern Tag)[] _scopes;

    public Caller(string name, AccessTokenRole role, IReadOnlyList<string> scopes)
    {
        Name = name;
        Role = role;
        _scopes = new (NamePattern, NamePattern)[scopes.Count];
        for (var i = 0; i < scopes.Count; i++)
        {
            var slash = scopes[i].IndexOf('/', StringComparison.Ordinal);
            _scopes[i] = (Pattern(scopes[i][..slash]), Pattern(scopes[i][(slash + 1)..]));
        }
    }

    public static Caller Anonymous { get; } = new("anonymous", AccessTokenRole.Read, []);

    public string Name { get; }

    public AccessTokenRole Role { get; }

    public bool CanWrite => Role == AccessTokenRole.Write;

    /// <summary>Whether this caller may write <paramref name="tag"/> of <paramref name="device"/> (role and scopes).</summary>
    public bool MayWrite(string device, string tag)
    {
        if (!CanWrite)
        {
            return false;
        }

        if (_scopes.Length == 0)
        {
            return true;
        }

        foreach (var (devicePattern, tagPattern) in _scopes)
        {
            if (devicePattern.IsMatch(device) && tagPattern.IsMatch(tag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The caller the authentication middleware attached to <paramref name="context"/>, or <see cref="Anonymous"/>.</summary>
    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller known ? known : Anonymous;

    internal void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    private static NamePattern Pattern(string text) =>
        NamePattern.TryParse(text, out var pattern, out var error) ? pattern : throw new ArgumentException(error, nameof(text));
}
