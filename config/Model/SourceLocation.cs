namespace EdgePartition.Config;

/// <summary>Where something was declared, so every problem can point at its file, line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
