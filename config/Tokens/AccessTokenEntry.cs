namespace EdgePartition.Config;

/// <summary>
/// One line of the tokens file: a named token, its role, the SHA-256 of its text (the token itself is never stored)
/// and, for writes, the device/tag patterns it is limited to (empty: every writable tag).
/// </summary>
public sealed record AccessTokenEntry(string Name, AccessTokenRole Role, byte[] Sha256, IReadOnlyList<string> Scopes, SourceLocation Location);
