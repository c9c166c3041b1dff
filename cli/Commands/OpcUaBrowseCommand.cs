using System.CommandLine;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart opcua browse URL [--node ID] [--depth N]`: the address space as a tree.</summary>
internal static class OpcUaBrowseCommand
{
    /// <summary>A bound on what one browse prints, so a huge server cannot keep the command busy for ever.</summary>
    public const int MaxNodes = 100_000;

    public static Command Create()
    {
        var url = OpcUaCommandSupport.UrlArgument();
        var node = new Option<string>("--node") { Description = "where to start (default the Objects folder, i=85)", DefaultValueFactory = _ => "i=85" };
        var depth = new Option<int>("--depth") { Description = "how many levels to go down", DefaultValueFactory = _ => 3 };
        var timeout = OpcUaCommandSupport.TimeoutOption();
        var command = new Command("browse", "Print the address space under a node as a tree: node class, node id, and for variables data type, access (R/W) and value")
        {
            url,
            node,
            depth,
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(url), parseResult.GetRequiredValue(node), parseResult.GetValue(depth), parseResult.GetValue(timeout),
            Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string url, string nodeText, int depth, int timeoutMs, TextWriter output, TextWriter errors, CancellationToken cancellationToken) =>
        OpcUaCommandSupport.WithClientAsync(url, timeoutMs, errors, async client =>
        {
            var root = client.Namespaces.Parse(nodeText);
            output.WriteLine(root);
            var walked = new List<WalkedNode>();
            await foreach (var node in OpcUaAddressSpaceWalk.WalkAsync(client, root, Math.Max(depth, 1), MaxNodes, cancellationToken).ConfigureAwait(false))
            {
                walked.Add(node);
            }

            var variables = walked.Where(node => node.NodeClass == NodeClass.Variable).Select(node => node.NodeId).ToArray();
            var facts = await OpcUaAddressSpaceWalk.DescribeAsync(client, variables, cancellationToken).ConfigureAwait(false);
            var factsOf = variables.Zip(facts).ToDictionary(pair => pair.First, pair => pair.Second);
            foreach (var node in walked)
            {
                var indent = new string(' ', node.Depth * 2);
                var line = $"{indent}{node.BrowseName.Name}  {node.NodeClass}  {client.Namespaces.Format(node.NodeId)}";
                if (factsOf.TryGetValue(node.NodeId, out var variable))
                {
                    var value = StatusCodes.IsGood(variable.Value.StatusCode)
                        ? OpcUaCommandSupport.Format(variable.Value.Value)
                        : StatusCodes.Describe(variable.Value.StatusCode);
                    line += $"  {variable.Type?.ToString() ?? "?"}{(variable.ValueRank >= 1 ? "[]" : string.Empty)}  {variable.Access}  = {value}";
                }

                output.WriteLine(line);
            }

            return 0;
        }, cancellationToken);
}
