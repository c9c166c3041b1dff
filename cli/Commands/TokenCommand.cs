using System.CommandLine;
using EdgePartition.Config;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart token new NAME --role read|write [--scope DEVICE/TAG]...`: makes a 256-bit random token for the HTTP
/// endpoint, prints it once (it is stored nowhere) and the line to add to the partition's tokens file (its SHA-256).
/// </summary>
internal static class TokenCommand
{
    public static Command Create() => new("token", "Make access tokens for the HTTP API, the feed and the dashboard")
    {
        CreateNew(),
    };

    private static Command CreateNew()
    {
        var name = new Argument<string>("name") { Description = "the token's name (letters, digits, . _ -): it identifies the writer in the audit file" };
        var role = new Option<string>("--role") { Description = "read (GET and the feed) or write (also writes)", DefaultValueFactory = _ => "read" };
        role.AcceptOnlyFromAmong("read", "write");
        var scopes = new Option<string[]>("--scope")
        {
            Description = "limit writes to DEVICE/TAG (patterns with * and ?, e.g. plc1/Setpoint*); repeat for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("new", "Print a fresh token once, and its line for the tokens file")
        {
            name,
            role,
            scopes,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(role),
            parseResult.GetValue(scopes) ?? [], Console.Out, Console.Error));
        return command;
    }

    public static int Run(string name, string roleText, IReadOnlyList<string> scopes, TextWriter output, TextWriter error)
    {
        if (!TokenFileFormat.IsValidName(name))
        {
            error.WriteLine($"edgepart token new: '{name}' is not a token name: use 1..64 letters, digits, '.', '_' or '-'");
            return 64;
        }

        TokenFileFormat.TryParseRole(roleText, out var role);
        foreach (var scope in scopes)
        {
            if (!TokenFileFormat.IsValidScope(scope))
            {
                error.WriteLine($"edgepart token new: scope '{scope}' is not DEVICE/TAG (e.g. plc1/Setpoint*)");
                return 64;
            }
        }

        if (scopes.Count > 0 && role == AccessTokenRole.Read)
        {
            error.WriteLine("edgepart token new: --scope limits writes; use it with --role write");
            return 64;
        }

        var token = AccessTokenHash.NewToken();
        output.WriteLine($"token (shown once; give it to '{name}', it is stored nowhere): {token}");
        output.WriteLine("line for the tokens file named by <tokens file=...> in the partition file:");
        output.WriteLine(TokenFileFormat.FormatLine(name, role, AccessTokenHash.Compute(token), scopes));
        return 0;
    }
}
