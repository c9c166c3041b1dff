namespace EdgePartition.Config;

/// <summary>
/// `edgepart config import-s7sync config.json`: writes NAME.xml and NAME-s7.xml reproducing the s7sync utility's
/// layout, checks them with the loader, and prints where every PLC's data lands in the sync DB.
/// </summary>
public static class S7SyncImportCommand
{
    public static int Run(string jsonPath, string outputDirectory, string name, TextWriter output, TextWriter errors)
    {
        try
        {
            var imported = S7SyncImporter.ImportFile(jsonPath, name);
            var partitionPath = PartitionConfigWriter.Save(imported, outputDirectory, imported.Name + ".xml");

            // Read back what was written: the files on disk, not the in-memory model, are what will run.
            var loaded = PartitionConfigLoader.Load(partitionPath);
            output.WriteLine($"wrote {partitionPath}");
            foreach (var file in loaded.EndpointFiles)
            {
                output.WriteLine($"wrote {file.Path}");
            }

            PrintLayout(loaded, output);
            return 0;
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                errors.WriteLine(problem);
            }

            return ConfigException.ExitCode;
        }
    }

    private static void PrintLayout(PartitionConfig config, TextWriter output)
    {
        var sync = config.Sync!;
        output.WriteLine($"sync image: {sync.ImageSize} bytes, written to every PLC's sync DB");
        foreach (var c in sync.Contributions)
        {
            var at = c.IsBit ? $"{c.ImageOffset}.{c.ImageBit}" : c.ImageOffset.ToString(System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"  {at,-8} {c.Device}.{c.Tag} ({config.GetDevice(c.Device).GetTag(c.Tag).Address})");
        }

        if (sync.ServerHeartbeat is { } heartbeat)
        {
            output.WriteLine($"  {heartbeat.ImageOffset,-8} server heartbeat (INT, 0..{heartbeat.Modulo - 1})");
        }
    }
}
