namespace EdgePartition.Cli.Run;

/// <summary>One process of a partition that the supervisor keeps running: a name for its log prefix and the
/// `edgepart` arguments that start it.</summary>
internal sealed record ChildSpec(string Name, IReadOnlyList<string> Arguments);
