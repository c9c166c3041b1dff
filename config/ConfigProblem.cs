namespace EdgePartition.Config;

/// <summary>One problem found in a configuration file, printed as <c>file:line:column: message</c>.</summary>
public sealed record ConfigProblem(string File, int Line, int Column, string Message)
{
    public ConfigProblem(SourceLocation location, string message)
        : this(location.File, location.Line, location.Column, message)
    {
    }

    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
