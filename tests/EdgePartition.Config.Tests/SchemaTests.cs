using System.Xml.Linq;
using EdgePartition.Config.Loading;

namespace EdgePartition.Config.Tests;

/// <summary>The XSDs are namespaced, versioned, documented everywhere, embedded, and published beside the binary.</summary>
public sealed class SchemaTests
{
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    public static TheoryData<string> Schemas => [.. ConfigSchemas.FileNames];

    [Theory]
    [MemberData(nameof(Schemas))]
    public void EveryDeclarationIsDocumented(string schema)
    {
        var document = XDocument.Load(Path.Combine(ExampleFiles.SchemaDirectory, schema));

        var undocumented = document.Descendants()
            .Where(e => e.Name == Xs + "element" || e.Name == Xs + "attribute" || (e.Name.Namespace == Xs && e.Name.LocalName.EndsWith("Type", StringComparison.Ordinal) && e.Attribute("name") is not null))
            .Where(e => e.Element(Xs + "annotation")?.Element(Xs + "documentation") is null)
            .Select(e => $"{e.Name.LocalName} {e.Attribute("name")?.Value}")
            .ToList();

        Assert.True(undocumented.Count == 0, "undocumented: " + string.Join(", ", undocumented));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void IsNamespacedAndVersioned(string schema)
    {
        var root = XDocument.Load(Path.Combine(ExampleFiles.SchemaDirectory, schema)).Root!;

        Assert.Matches("^urn:edgepartition:[a-z0-9]+:1$", root.Attribute("targetNamespace")!.Value);
        Assert.Equal("1.0", root.Attribute("version")!.Value);
        Assert.Equal("qualified", root.Attribute("elementFormDefault")!.Value);
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void EmbeddedAndPublishedCopiesAreTheRepositoryFile(string schema)
    {
        var source = File.ReadAllText(Path.Combine(ExampleFiles.SchemaDirectory, schema));
        using var embedded = new StreamReader(ConfigSchemas.Open(schema));

        Assert.Equal(source, embedded.ReadToEnd());
        Assert.Equal(source, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "xsd", schema)));
    }
}
