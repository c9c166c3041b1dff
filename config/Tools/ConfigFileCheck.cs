namespace EdgePartition.Config;

/// <summary>`edgepart config validate FILE...`: the start-up check alone, for any number of partition or endpoint files.</summary>
public static class ConfigFileCheck
{
    /// <summary>Prints every problem as file:line:column: message on stderr; 0 when all files are valid, else 78.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter errors)
    {
        var invalid = 0;
        foreach (var file in files)
        {
            var problems = PartitionConfigLoader.Validate(file);
            foreach (var problem in problems)
            {
                errors.WriteLine(problem);
            }

            if (problems.Count == 0)
            {
                output.WriteLine($"{file}: valid");
            }
            else
            {
                invalid++;
            }
        }

        if (invalid > 0)
        {
            errors.WriteLine($"{invalid} of {files.Count} file(s) invalid");
            return ConfigException.ExitCode;
        }

        return 0;
    }
}
