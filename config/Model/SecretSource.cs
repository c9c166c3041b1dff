namespace EdgePartition.Config;

/// <summary>
/// Where a secret (a password, a key passphrase) is read from: a file or an environment variable named in the
/// config, never the config itself. The value is read when needed and never kept in the model, logged or printed.
/// </summary>
public sealed class SecretSource
{
    /// <summary>Absolute path of a file whose content (without a trailing newline) is the secret.</summary>
    public string? FilePath { get; init; }

    /// <summary>Name of an environment variable holding the secret.</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>Reads the secret now; a missing file or unset variable is an <see cref="InvalidOperationException"/> saying which.</summary>
    public string Read()
    {
        if (FilePath is not null)
        {
            if (!File.Exists(FilePath))
            {
                throw new InvalidOperationException($"the secret file {FilePath} does not exist");
            }

            return File.ReadAllText(FilePath).TrimEnd('\r', '\n');
        }

        if (EnvironmentVariable is not null)
        {
            return Environment.GetEnvironmentVariable(EnvironmentVariable)
                ?? throw new InvalidOperationException($"the environment variable {EnvironmentVariable} holding a secret is not set");
        }

        throw new InvalidOperationException("no secret source configured");
    }

    /// <summary>Where the secret comes from, never the secret.</summary>
    public override string ToString() => FilePath is not null ? $"file {FilePath}" : $"environment variable {EnvironmentVariable}";
}
