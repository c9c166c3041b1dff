using System.CommandLine;
using EdgePartition.Config;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart config validate|example|import-s7sync`: work with configuration files without starting anything.</summary>
internal static class ConfigCommand
{
    public static Command Create() => new("config", "Check, start and import configuration files")
    {
        CreateValidate(),
        CreateExample(),
        CreateImportS7Sync(),
    };

    private static Command CreateValidate()
    {
        var files = new Argument<string[]>("files") { Description = "partition or endpoint files to check", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check files against the schemas and the semantic rules; print every problem as file:line:column: message; exit 78 if any")
        {
            files,
        };
        command.SetAction(parseResult => ConfigFileCheck.Run(parseResult.GetRequiredValue(files), Console.Out, Console.Error));
        return command;
    }

    private static Command CreateExample()
    {
        var kind = new Argument<string>("kind")
        {
            Description = "which example: " + string.Join(", ", ConfigExamples.Names),
            DefaultValueFactory = _ => "partition",
        };
        kind.AcceptOnlyFromAmong([.. ConfigExamples.Names]);
        var command = new Command("example", "Print a commented starting file (a partition file, or an s7/modbus/opcua/sim endpoint file)")
        {
            kind,
        };
        command.SetAction(parseResult =>
        {
            Console.Out.Write(ConfigExamples.Get(parseResult.GetRequiredValue(kind)));
            return 0;
        });
        return command;
    }

    private static Command CreateImportS7Sync()
    {
        var json = new Argument<string>("config.json") { Description = "the s7sync utility's config file (JSON with comments, v1 or v2)" };
        var output = new Option<string>("--output", "-o") { Description = "directory to write NAME.xml and NAME-s7.xml into", DefaultValueFactory = _ => "." };
        var name = new Option<string>("--name") { Description = "partition name", DefaultValueFactory = _ => "s7sync" };
        var command = new Command("import-s7sync", "Turn an s7sync config.json into a partition file reproducing its sync DB layout exactly")
        {
            json,
            output,
            name,
        };
        command.SetAction(parseResult => S7SyncImportCommand.Run(
            parseResult.GetRequiredValue(json), parseResult.GetRequiredValue(output), parseResult.GetRequiredValue(name), Console.Out, Console.Error));
        return command;
    }
}
