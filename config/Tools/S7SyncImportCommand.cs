namespace EdgePartition.Config;

/// <summary>
/// `edgepart config import-s7sync config.json`: writes NAME.xml and NAME-s7.xml reproducing the s7sync utility's
/// layout, checks them with the loader, and prints where every PLC's data lands in the sync DB.
/// </summary>
public static class S7SyncImportCommand
{
    public static int Run(string jsonPath, string outputDirectory, string name, TextWriter output, TextWriter errors)
    {
        string? staging = null;
        try
        {
            var imported = S7SyncImporter.ImportFile(jsonPath, name);

            // Written first into a private folder beside the output and checked there by the loader (the files, not
            // the in-memory model, are what will run); only files the loader accepts are renamed over the output, so
            // a failed import never replaces a good file with a bad one.
            Directory.CreateDirectory(outputDirectory);
            staging = Path.Combine(outputDirectory, $".import-{Environment.ProcessId}-{Guid.NewGuid():N}");
            var stagedPartition = PartitionConfigWriter.Save(imported, staging, imported.Name + ".xml");
            PartitionConfig loaded;
            try
            {
                loaded = PartitionConfigLoader.Load(stagedPartition);
            }
            catch (ConfigException e)
            {
                throw new ConfigException([.. e.Problems.Select(p => p with { File = Unstaged(p.File, staging, outputDirectory) })]);
            }

            // Endpoint files first, the partition file last: a partition file never names an endpoint file not yet there.
            var written = new List<string>();
            foreach (var file in loaded.EndpointFiles)
            {
                written.Add(MoveIn(file.Path, outputDirectory));
            }

            var partitionPath = MoveIn(stagedPartition, outputDirectory);
            output.WriteLine($"wrote {partitionPath}");
            foreach (var path in written)
            {
                output.WriteLine($"wrote {path}");
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
        finally
        {
            if (staging is not null && Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Renames a staged file over its place in the output folder (one rename(2): readers see old or new).</summary>
    private static string MoveIn(string stagedPath, string outputDirectory)
    {
        var target = Path.Combine(outputDirectory, Path.GetFileName(stagedPath));
        File.Move(stagedPath, target, overwrite: true);
        return target;
    }

    private static string Unstaged(string path, string staging, string outputDirectory) =>
        path.StartsWith(staging, StringComparison.Ordinal) ? Path.Combine(outputDirectory, Path.GetFileName(path)) : path;

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
