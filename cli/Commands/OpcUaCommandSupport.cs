using System.CommandLine;
using System.Globalization;
using EdgePartition.OpcUa;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Cli.Commands;

/// <summary>What the `edgepart opcua` sub-commands share: the URL argument, the timeout option, connecting, errors, value text.</summary>
internal static class OpcUaCommandSupport
{
    /// <summary>EX_UNAVAILABLE: the server could not be reached or refused the request.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_DATAERR: a node id or another input is wrong.</summary>
    public const int BadInput = 65;

    public static Argument<string> UrlArgument() => new("url") { Description = "the server's endpoint URL, opc.tcp://host[:port][/path]" };

    public static Option<int> TimeoutOption() => new("--timeout-ms")
    {
        Description = "connect and request timeout in milliseconds",
        DefaultValueFactory = _ => 10000,
    };

    public static OpcUaClientOptions Options(string url, int timeoutMs) => new()
    {
        EndpointUrl = url,
        ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        SessionName = "edgepart opcua",
    };

    /// <summary>Runs <paramref name="action"/> on a connected client; connection and input problems become one line on stderr and an exit code.</summary>
    public static async Task<int> WithClientAsync(string url, int timeoutMs, TextWriter errors, Func<OpcUaClient, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = new OpcUaClient(Options(url, timeoutMs));
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return await action(client).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OpcUaProtocolException or FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(errors, url, error);
        }
    }

    public static int Fail(TextWriter errors, string url, Exception error)
    {
        errors.WriteLine(error is FormatException or IOException or UnauthorizedAccessException ? $"error: {error.Message}" : $"error: {url}: {error.Message}");
        return error is OpcUaProtocolException ? Unavailable : BadInput;
    }

    /// <summary>A value as people read it: scalars in invariant culture, arrays as their first elements.</summary>
    public static string Format(Variant value)
    {
        if (value.IsArray)
        {
            var array = (Array)value.Reference!;
            var shown = new List<string>();
            for (var i = 0; i < Math.Min(array.Length, 8); i++)
            {
                shown.Add(Element(array.GetValue(i)));
            }

            var dimensions = value.ArrayDimensions is { } dims ? string.Join('x', dims) : array.Length.ToString(CultureInfo.InvariantCulture);
            return $"[{string.Join(", ", shown)}{(array.Length > 8 ? ", ..." : string.Empty)}] ({dimensions})";
        }

        return value.Type switch
        {
            BuiltInType.Null => "null",
            BuiltInType.Boolean => value.AsBoolean() ? "true" : "false",
            BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64 => value.AsInt64().ToString(CultureInfo.InvariantCulture),
            BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64 => value.AsUInt64().ToString(CultureInfo.InvariantCulture),
            BuiltInType.Float => value.AsFloat().ToString("R", CultureInfo.InvariantCulture),
            BuiltInType.Double => value.AsDouble().ToString("R", CultureInfo.InvariantCulture),
            BuiltInType.DateTime => value.AsDateTime().ToString("O", CultureInfo.InvariantCulture),
            BuiltInType.StatusCode => StatusCodes.Describe((uint)value.AsUInt64()),
            _ => Element(value.Reference),
        };
    }

    private static string Element(object? element) => element switch
    {
        null => "null",
        string text => $"\"{text}\"",
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        LocalizedText text => text.Locale is null ? $"\"{text.Text}\"" : $"{text.Locale}:\"{text.Text}\"",
        QualifiedName name => $"{name.NamespaceIndex}:{name.Name}",
        ExtensionObject structure => structure.Structure?.ToString() ?? $"ExtensionObject {structure.TypeId}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => element.ToString() ?? string.Empty,
    };
}
