using System.Diagnostics;

namespace EdgePartition.Config.Tests;

/// <summary>
/// Every example under config/xml is valid twice over: for our loader, and for xmllint (libxml2), an independent
/// XSD 1.0 validator, which shows that the schemas are plain XSD editors understand.
/// </summary>
public sealed class ExampleTests
{
    public static TheoryData<string> Examples => [.. ExampleFiles.All()];

    public static TheoryData<string> Partitions => [.. ExampleFiles.Partitions()];

    [Fact]
    public void ThereIsAnExampleForEveryFileKind()
    {
        var schemas = ExampleFiles.All().Select(f => ExampleFiles.SchemaOf(Path.Combine(ExampleFiles.Directory, f))).ToHashSet();

        Assert.Equal(["modbus.xsd", "opcua.xsd", "partition.xsd", "s7.xsd", "sim.xsd"], schemas.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void IsValidForOurLoader(string example)
    {
        var problems = PartitionConfigLoader.Validate(Path.Combine(ExampleFiles.Directory, example));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void IsValidForXmllint(string example)
    {
        var path = Path.Combine(ExampleFiles.Directory, example);
        var schema = Path.Combine(ExampleFiles.SchemaDirectory, ExampleFiles.SchemaOf(path));

        var (exitCode, output) = RunXmllint("--noout", "--nonet", "--schema", schema, path);

        Assert.True(exitCode == 0, $"xmllint rejects {example}:\n{output}");
    }

    [Theory]
    [InlineData("partition.xsd")]
    [InlineData("s7.xsd")]
    [InlineData("modbus.xsd")]
    [InlineData("opcua.xsd")]
    [InlineData("sim.xsd")]
    public void SchemaIsWellFormedXsdForXmllint(string schema)
    {
        var path = Path.Combine(ExampleFiles.SchemaDirectory, schema);

        // Validating an empty document against the schema makes xmllint compile the schema; a schema error exits 5.
        using var directory = new TempConfigDirectory();
        var empty = directory.Write("empty.xml", "<nothing/>");
        var (exitCode, output) = RunXmllint("--noout", "--nonet", "--schema", path, empty);

        Assert.True(exitCode is 0 or 3, $"xmllint cannot compile {schema} (exit {exitCode}):\n{output}");
        Assert.DoesNotContain("failed to compile", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Partitions))]
    public void EveryPartitionExampleLoads(string example)
    {
        var config = PartitionConfigLoader.Load(Path.Combine(ExampleFiles.Directory, example));

        Assert.NotEmpty(config.Devices);
        Assert.All(config.Devices, d => Assert.NotEmpty(d.Tags));
    }

    [Fact]
    public void EmbeddedExamplesAreTheFilesInTheRepository()
    {
        foreach (var name in ConfigExamples.Names)
        {
            var file = name == "partition" ? "all-protocols.xml" : name + ".xml";
            Assert.Equal(File.ReadAllText(Path.Combine(ExampleFiles.Directory, "examples", file)), ConfigExamples.Get(name));
        }

        Assert.Null(ConfigExamples.Get("nonsense"));
    }

    private static (int ExitCode, string Output) RunXmllint(params string[] arguments)
    {
        var start = new ProcessStartInfo("xmllint") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("xmllint is missing: run tests/peers/install-xmllint.sh (Debian package libxml2-utils)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                throw new TimeoutException("xmllint did not finish within 30 s");
            }

            Assert.True(Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(10)));
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
