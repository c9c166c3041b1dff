namespace EdgePartition.Config;

/// <summary>The documented example files of config/xml/examples, embedded so that any installation can print them.</summary>
public static class ConfigExamples
{
    /// <summary>Example names: the partition file and one endpoint file per protocol.</summary>
    public static IReadOnlyList<string> Names { get; } = ["partition", "s7", "modbus", "opcua", "sim"];

    /// <summary>The text of an example by name (see <see cref="Names"/>); null for an unknown name.</summary>
    public static string? Get(string name)
    {
        var file = name switch
        {
            "partition" => "all-protocols.xml",
            "s7" or "modbus" or "opcua" or "sim" => name + ".xml",
            _ => null,
        };
        if (file is null)
        {
            return null;
        }

        using var stream = typeof(ConfigExamples).Assembly.GetManifestResourceStream("EdgePartition.Config.examples." + file)
            ?? throw new InvalidOperationException($"example {file} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
