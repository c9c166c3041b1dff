using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.Ipc;

/// <summary>A file is not a usable segment (or write queue); the message names the file and the problem.</summary>
public sealed class SegmentFormatException : IOException
{
    public SegmentFormatException(string path, SegmentProblem problem, string detail)
        : base($"{path}: {Describe(problem)}: {detail}")
    {
        FilePath = path;
        Problem = problem;
    }

    public string FilePath { get; }

    public SegmentProblem Problem { get; }

    [DoesNotReturn]
    internal static void Throw(string path, SegmentProblem problem, string detail) =>
        throw new SegmentFormatException(path, problem, detail);

    private static string Describe(SegmentProblem problem) => problem switch
    {
        SegmentProblem.NotASegment => "not an EdgePartition segment",
        SegmentProblem.NotPublished => "segment was never published (writer died while creating it)",
        SegmentProblem.WrongMagic => "wrong magic",
        SegmentProblem.UnknownLayoutVersion => "unknown layout version",
        SegmentProblem.Truncated => "truncated",
        SegmentProblem.Corrupt => "corrupt header or tag table",
        SegmentProblem.WrongKind => "wrong kind of file",
        _ => problem.ToString(),
    };
}
