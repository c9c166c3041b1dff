using System.Text;

namespace EdgePartition.Config.Tests;

/// <summary>
/// Absurd inputs give bounded reports: at most a hundred problems per file, then how many more; an oversized
/// config.json is refused before it is parsed; and a failed import never replaces a good file.
/// </summary>
public sealed class BoundedProblemReportTests
{
    [Fact]
    public void ImportOfThousandsOfBadEntriesListsAHundredThenHowManyMore()
    {
        var variables = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"v{i}\": {{ \"type\": \"DINT\", \"offset\": 0 }}"));
        var json = $$"""{ "plcs": [ { "name": "A", "ip": "10.0.0.1", "dbNumber": 5, "variables": { {{variables}} } } ] }""";

        var e = Assert.Throws<ConfigException>(() => S7SyncImporter.Import(json, "p"));

        Assert.Equal(101, e.Problems.Count);
        Assert.Contains("and 4900 more problem(s) in this file", e.Problems[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedConfigJsonIsRefusedBeforeParsing()
    {
        using var directory = new TempConfigDirectory();
        var json = directory.Write("config.json", "{ \"plcs\": [" + new string(' ', 2 * 1024 * 1024) + "] }");
        var errors = new StringWriter();

        var exitCode = S7SyncImportCommand.Run(json, Path.Combine(directory.Path, "out"), "plant", TextWriter.Null, errors);

        Assert.Equal(78, exitCode);
        Assert.Contains($"more than the {S7SyncImporter.MaxJsonBytes} accepted", errors.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(directory.Path, "out")).Any());
    }

    [Fact]
    public void FailedImportLeavesTheGoodFileInPlaceAndNoTemporaryFiles()
    {
        using var directory = new TempConfigDirectory();
        var output = Path.Combine(directory.Path, "out");
        var good = directory.Write("good.json", """
            { "plcs": [ { "name": "A", "ip": "10.0.0.1", "dbNumber": 5, "variables": { "x": { "type": "INT", "offset": 0 } } } ] }
            """);
        Assert.Equal(0, S7SyncImportCommand.Run(good, output, "plant", TextWriter.Null, TextWriter.Null));
        var before = File.ReadAllText(Path.Combine(output, "plant.xml")) + File.ReadAllText(Path.Combine(output, "plant-s7.xml"));

        // The importer takes any rack number; the loader's schema allows 0..7: only the loader refuses this one.
        var bad = directory.Write("bad.json", """
            { "plcs": [ { "name": "A", "ip": "10.0.0.1", "rack": 99, "dbNumber": 5, "variables": { "y": { "type": "INT", "offset": 2 } } } ] }
            """);
        var errors = new StringWriter();
        var exitCode = S7SyncImportCommand.Run(bad, output, "plant", TextWriter.Null, errors);

        Assert.Equal(78, exitCode);
        Assert.StartsWith(Path.Combine(output, "plant-s7.xml") + ":", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, "plant.xml")) + File.ReadAllText(Path.Combine(output, "plant-s7.xml")));
        Assert.Equal(["plant-s7.xml", "plant.xml"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(PartitionConfigLoader.Validate(Path.Combine(output, "plant.xml")));
    }

    [Fact]
    public void ValidateListsAHundredProblemsPerFileThenHowManyMore()
    {
        using var directory = new TempConfigDirectory();
        var tags = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            tags.AppendLine($"""      <tag name="t{i}" address="DB1.DBW{2 * i}" type="NOPE"/>""");
        }

        var file = directory.Write("s7.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <s7Devices xmlns="urn:edgepartition:s7:1">
              <device name="plc1" host="127.0.0.1">
                <pollGroup name="main" cycleMs="100">
            {tags}    </pollGroup>
              </device>
            </s7Devices>
            """);
        var errors = new StringWriter();

        Assert.Equal(78, ConfigFileCheck.Run([file], TextWriter.Null, errors));

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(102, lines.Length); // 100 problems, "and N more", "1 of 1 file(s) invalid"
        Assert.Contains("and 400 more problem(s) in this file", lines[100], StringComparison.Ordinal);
    }
}
