using System.CommandLine;
using System.Globalization;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart opcua read URL NODE...`: the current value of nodes, with status and timestamps.</summary>
internal static class OpcUaReadCommand
{
    public static Command Create()
    {
        var url = OpcUaCommandSupport.UrlArgument();
        var nodes = new Argument<string[]>("nodes") { Description = "node ids: ns=2;s=Speed, i=2258, nsu=urn:plant;s=Speed", Arity = ArgumentArity.OneOrMore };
        var timeout = OpcUaCommandSupport.TimeoutOption();
        var command = new Command("read", "Read the Value attribute of nodes: value, type, status, source and server timestamps")
        {
            url,
            nodes,
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(url), parseResult.GetRequiredValue(nodes), parseResult.GetValue(timeout), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string url, IReadOnlyList<string> texts, int timeoutMs, TextWriter output, TextWriter errors, CancellationToken cancellationToken) =>
        OpcUaCommandSupport.WithClientAsync(url, timeoutMs, errors, async client =>
        {
            var nodes = texts.Select(client.Namespaces.Parse).ToArray();
            var values = new DataValue[nodes.Length];
            await client.ReadAsync(nodes, values, cancellationToken).ConfigureAwait(false);
            var bad = 0;
            for (var i = 0; i < nodes.Length; i++)
            {
                var value = values[i];
                bad += StatusCodes.IsGood(value.StatusCode) ? 0 : 1;
                var source = value.SourceTimestamp == DateTime.MinValue ? "-" : value.SourceTimestamp.ToString("O", CultureInfo.InvariantCulture);
                output.WriteLine(StatusCodes.IsGood(value.StatusCode)
                    ? $"{texts[i]} = {OpcUaCommandSupport.Format(value.Value)}  {value.Value.Type}  {StatusCodes.Describe(value.StatusCode)}  source {source}"
                    : $"{texts[i]}: {StatusCodes.Describe(value.StatusCode)}");
            }

            return bad == 0 ? 0 : OpcUaCommandSupport.BadInput;
        }, cancellationToken);
}
