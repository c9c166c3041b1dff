using System.Net.Sockets;

namespace EdgePartition.Hosting.Logging;

/// <summary>
/// Failures that come from the machine, not from a bug: a held lease, a port in use, a full or unwritable directory.
/// Their messages say what is wrong and where; on the console (which the supervisor forwards) they are one line,
/// because a stack trace there reads like a crash. The log file keeps the whole exception.
/// </summary>
public static class EnvironmentProblem
{
    public static bool Is(Exception exception) => exception switch
    {
        SocketException => true,
        UnauthorizedAccessException => true,
        IOException => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };

    /// <summary>The messages of the exception and its causes, one line.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.Contains(inner.Message, StringComparison.Ordinal))
            {
                text += ": " + inner.Message;
            }
        }

        return text.ReplaceLineEndings(" ");
    }
}
