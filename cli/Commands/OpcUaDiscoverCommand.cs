using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart opcua discover URL --root NODE [--filter PATTERN] -o FILE.xml`: walks the server's address space
/// and writes an OPC UA endpoint file with one tag per readable variable of a type a segment holds, ready for
/// `edgepart config validate`, so nobody types hundreds of node ids by hand.
/// </summary>
internal static class OpcUaDiscoverCommand
{
    private const int MaxTags = 65535;
    private const int MaxTagName = 48;
    private static readonly XNamespace Ns = "urn:edgepartition:opcua:1";

    /// <summary>The types a tag may have in a generated file: scalars and one-dimensional arrays of these.</summary>
    private static readonly HashSet<BuiltInType> SupportedTypes =
    [
        BuiltInType.Boolean, BuiltInType.SByte, BuiltInType.Byte, BuiltInType.Int16, BuiltInType.UInt16, BuiltInType.Int32, BuiltInType.UInt32,
        BuiltInType.Int64, BuiltInType.UInt64, BuiltInType.Float, BuiltInType.Double, BuiltInType.String, BuiltInType.DateTime,
    ];

    public static Command Create()
    {
        var url = OpcUaCommandSupport.UrlArgument();
        var root = new Option<string>("--root") { Description = "the node to discover under (ns=2;s=Line1, nsu=URI;s=Line1, i=85)", Required = true };
        var filter = new Option<string?>("--filter") { Description = "keep variables whose browse path below the root (A/B/Speed) or name matches; * and ? as wildcards" };
        var output = new Option<string>("--output", "-o") { Description = "the endpoint file to write", Required = true };
        var name = new Option<string>("--name") { Description = "the device name in the file", DefaultValueFactory = _ => "opcua1" };
        var cycle = new Option<int>("--cycle-ms") { Description = "the poll group's cycle", DefaultValueFactory = _ => 1000 };
        var depth = new Option<int>("--depth") { Description = "how many levels below the root to look", DefaultValueFactory = _ => 10 };
        var timeout = OpcUaCommandSupport.TimeoutOption();
        var command = new Command("discover", "Write an OPC UA endpoint file with one tag per variable under a node (type, access and browse path from the server)")
        {
            url,
            root,
            filter,
            output,
            name,
            cycle,
            depth,
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new DiscoverRequest(
                parseResult.GetRequiredValue(url), parseResult.GetRequiredValue(root), parseResult.GetValue(filter), parseResult.GetRequiredValue(output),
                parseResult.GetRequiredValue(name), parseResult.GetValue(cycle), parseResult.GetValue(depth), parseResult.GetValue(timeout)),
            Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(DiscoverRequest request, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Regex.IsMatch(request.DeviceName, "^[A-Za-z0-9_-]{1,48}$"))
        {
            errors.WriteLine($"error: device name '{request.DeviceName}' must be 1 to 48 letters, digits, '_' or '-'");
            return Task.FromResult(OpcUaCommandSupport.BadInput);
        }

        var pattern = request.Filter is null ? null : Glob(request.Filter);
        return OpcUaCommandSupport.WithClientAsync(request.Url, request.TimeoutMs, errors, async client =>
        {
            var root = client.Namespaces.Parse(request.Root);
            var candidates = new List<WalkedNode>();
            await foreach (var node in OpcUaAddressSpaceWalk.WalkAsync(client, root, Math.Max(request.Depth, 1), OpcUaBrowseCommand.MaxNodes, cancellationToken)
                .ConfigureAwait(false))
            {
                if (node.NodeClass == NodeClass.Variable
                    && (pattern is null || pattern.IsMatch(node.BrowsePath) || pattern.IsMatch(node.BrowseName.Name ?? string.Empty)))
                {
                    candidates.Add(node);
                }
            }

            var facts = await OpcUaAddressSpaceWalk.DescribeAsync(client, [.. candidates.Select(node => node.NodeId)], cancellationToken).ConfigureAwait(false);
            var (document, tags, skipped) = BuildFile(request, candidates, facts);
            if (tags == 0)
            {
                errors.WriteLine($"error: no readable variable of a supported type under {request.Root}{(request.Filter is null ? string.Empty : $" matching '{request.Filter}'")} ({skipped} skipped)");
                return OpcUaCommandSupport.BadInput;
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(request.OutputFile));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await using (var file = File.Create(request.OutputFile))
            {
                var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
                await using var writer = XmlWriter.Create(file, settings);
                await document.SaveAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            output.WriteLine($"wrote {request.OutputFile}: {tags} tags, {skipped} variables skipped (see the comments in the file)");
            return 0;
        }, cancellationToken);
    }

    private static (XDocument Document, int Tags, int Skipped) BuildFile(DiscoverRequest request, List<WalkedNode> nodes, VariableFacts[] facts)
    {
        var group = new XElement(Ns + "pollGroup", new XAttribute("name", "discovered"), new XAttribute("cycleMs", request.CycleMs));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tags = 0;
        var skipped = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var fact = facts[i];
            var length = Length(fact);
            var reason = !fact.Readable ? "not readable"
                : fact.Type is not { } type || !SupportedTypes.Contains(type) ? $"type {fact.Type?.ToString() ?? "unknown"} is not one a tag can have"
                : length is null ? "an array without a fixed length, or a matrix"
                : tags >= MaxTags ? $"more than {MaxTags} tags"
                : null;
            if (reason is not null)
            {
                skipped++;
                group.Add(new XComment($" skipped {Comment(node.BrowsePath)} ({node.NodeId}): {reason} "));
                continue;
            }

            var tag = new XElement(Ns + "tag",
                new XAttribute("name", UniqueName(node.BrowsePath, names)),
                new XAttribute("address", node.NodeId.ToString()),
                new XAttribute("type", fact.Type!.Value.ToString()));
            if (length > 1 || fact.ValueRank >= 1)
            {
                tag.Add(new XAttribute("length", length!.Value));
            }

            if (fact.Writable)
            {
                tag.Add(new XAttribute("writable", "true"));
            }

            tag.Add(new XAttribute("description", node.BrowsePath));
            group.Add(tag);
            tags++;
        }

        var device = new XElement(Ns + "device",
            new XAttribute("name", request.DeviceName),
            new XAttribute("endpointUrl", request.Url),
            new XAttribute("securityPolicy", "None"),
            new XAttribute("securityMode", "None"),
            group);
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XComment($" Written by `edgepart opcua discover` from {request.Url} under {request.Root}"
                + $"{(request.Filter is null ? string.Empty : $" (filter {request.Filter})")}. Check it with `edgepart config validate`. "),
            new XElement(Ns + "opcUaDevices", device));
        return (document, tags, skipped);
    }

    /// <summary>Elements per value: 1 for a scalar, the fixed length of a one-dimensional array (declared, else the current one), null otherwise.</summary>
    private static int? Length(VariableFacts fact)
    {
        if (fact.ValueRank == -1 || (fact.ValueRank < 1 && !fact.Value.Value.IsArray))
        {
            return 1;
        }

        if (fact.ValueRank > 1 || fact.Value.Value.ArrayDimensions is not null)
        {
            return null;
        }

        if (fact.ArrayDimensions is [var declared] && declared > 0)
        {
            return (int)Math.Min(declared, int.MaxValue);
        }

        return fact.Value.Value.Reference is Array { Length: > 0 } current ? current.Length : null;
    }

    /// <summary>A tag name from the browse path: letters, digits, '_' and '-' only, at most 48, unique in the device.</summary>
    private static string UniqueName(string browsePath, HashSet<string> taken)
    {
        var builder = new StringBuilder();
        foreach (var c in browsePath)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        var name = builder.Length == 0 ? "tag" : builder.ToString();
        // Keep the end of long paths: the variable's own name is the part that tells tags apart.
        name = name.Length > MaxTagName ? name[^MaxTagName..] : name;
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $"_{n}");
            candidate = (name.Length + suffix.Length > MaxTagName ? name[..(MaxTagName - suffix.Length)] : name) + suffix;
        }

        return candidate;
    }

    private static string Comment(string text) => text.Replace("--", "- -", StringComparison.Ordinal);

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}

/// <summary>The inputs of `edgepart opcua discover`.</summary>
internal sealed record DiscoverRequest(string Url, string Root, string? Filter, string OutputFile, string DeviceName, int CycleMs, int Depth, int TimeoutMs);
