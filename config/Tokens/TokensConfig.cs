namespace EdgePartition.Config;

/// <summary>
/// The HTTP endpoint's tokens (<c>&lt;tokens file=... writesPerSecond=.../&gt;</c>), loaded and checked with the
/// partition file: who may read, who may write what, and how fast.
/// </summary>
public sealed class TokensConfig
{
    /// <summary>Absolute path of the tokens file.</summary>
    public required string FilePath { get; init; }

    public IReadOnlyList<AccessTokenEntry> Tokens { get; init; } = [];

    /// <summary>
    /// The role of the deprecated single <c>bearerToken</c> attribute: Read unless the tokens file has the line
    /// <c>@bearerToken write</c>.
    /// </summary>
    public AccessTokenRole BearerTokenRole { get; init; } = AccessTokenRole.Read;

    /// <summary>Writes one token may make per second (a burst of as many is allowed); more are refused with 429.</summary>
    public int WritesPerSecond { get; init; } = DefaultWritesPerSecond;

    public const int DefaultWritesPerSecond = 10;
}

/// <summary>The append-only audit file of write attempts (JSON lines), rotated by size.</summary>
public sealed class AuditConfig
{
    /// <summary>Absolute path of the current audit file; rotated files get .1, .2, ... appended.</summary>
    public required string FilePath { get; init; }

    public long MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Rotated files kept besides the current one.</summary>
    public int Keep { get; init; } = 5;
}
