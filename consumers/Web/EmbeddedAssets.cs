using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace EdgePartition.Consumers.Web;

/// <summary>One file served from the assembly: its bytes, media type and a strong ETag.</summary>
public sealed record EmbeddedAsset(string Path, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's files (wwwroot/, embedded at build time) loaded once at start-up. The process needs no files
/// on disk and makes no request to any other host: everything the page uses is here.
/// </summary>
public sealed class EmbeddedAssets
{
    private const string Prefix = "wwwroot/";

    private readonly FrozenDictionary<string, EmbeddedAsset> _assets;

    private EmbeddedAssets(FrozenDictionary<string, EmbeddedAsset> assets) => _assets = assets;

    public static EmbeddedAssets Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var assets = new Dictionary<string, EmbeddedAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            var content = Read(assembly, name);
            assets[path] = new EmbeddedAsset(path, content, ContentTypeOf(path), ETagOf(content));
        }

        return new EmbeddedAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string path, out EmbeddedAsset asset) => _assets.TryGetValue(path, out asset!);

    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Reads an embedded resource of this assembly as text (used for the manual).</summary>
    public static string ReadText(string logicalName)
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"embedded resource {logicalName} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string ETagOf(ReadOnlySpan<byte> content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content)[..16]) + "\"";

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        return content;
    }

    private static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}
