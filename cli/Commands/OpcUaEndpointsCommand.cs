using System.CommandLine;
using EdgePartition.OpcUa;
using EdgePartition.OpcUa.Client;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart opcua endpoints URL`: the endpoints a server offers (security policy, mode, logins).</summary>
internal static class OpcUaEndpointsCommand
{
    public static Command Create()
    {
        var url = OpcUaCommandSupport.UrlArgument();
        var timeout = OpcUaCommandSupport.TimeoutOption();
        var command = new Command("endpoints", "List the endpoints of a server: URL (on the host dialled), security policy and mode, user token types")
        {
            url,
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetRequiredValue(url), parseResult.GetValue(timeout), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string url, int timeoutMs, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        try
        {
            var endpoints = await OpcUaDiscovery.GetEndpointsAsync(url, OpcUaCommandSupport.Options(url, timeoutMs), cancellationToken).ConfigureAwait(false);
            foreach (var endpoint in endpoints.OrderByDescending(endpoint => endpoint.SecurityLevel))
            {
                var policy = endpoint.SecurityPolicyUri?[(endpoint.SecurityPolicyUri.LastIndexOf('#') + 1)..] ?? "?";
                var logins = string.Join(", ", endpoint.UserIdentityTokens.Select(token => token.TokenType).Distinct());
                var advertised = endpoint.EndpointUrl ?? string.Empty;
                var dialed = OpcUaDiscovery.SubstituteHost(advertised, url);
                output.WriteLine($"{dialed}  {policy}/{endpoint.SecurityMode}  level {endpoint.SecurityLevel}  logins: {logins}"
                    + (string.Equals(dialed, advertised, StringComparison.Ordinal) ? string.Empty : $"  (advertised as {advertised})"));
            }

            return 0;
        }
        catch (Exception error) when (error is OpcUaProtocolException or FormatException)
        {
            return OpcUaCommandSupport.Fail(errors, url, error);
        }
    }
}
