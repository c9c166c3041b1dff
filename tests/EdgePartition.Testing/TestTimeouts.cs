using System.Globalization;
using System.Runtime.CompilerServices;

namespace EdgePartition.Testing;

/// <summary>
/// The bounds for every wait in the tests, in one place. They only decide how long a hang takes to fail, never
/// whether a passing test passes, so they are generous enough for a loaded 2-core CI machine. Set
/// <c>EDGEPART_TEST_TIMEOUT_SCALE</c> (a positive number, default 1) to stretch all of them, e.g. under a debugger.
/// </summary>
public static class TestTimeouts
{
    public const string ScaleVariable = "EDGEPART_TEST_TIMEOUT_SCALE";

    /// <summary>The factor from <see cref="ScaleVariable"/> applied to every budget.</summary>
    public static readonly double Scale = ReadScale();

    /// <summary>One await on something the test caused: a reply, a signal, a state change, a server starting.</summary>
    public static readonly TimeSpan Default = Scaled(TimeSpan.FromSeconds(30));

    /// <summary>A whole process or external peer starting, converging or stopping (edgepart, node, python, docker run).</summary>
    public static readonly TimeSpan Process = Scaled(TimeSpan.FromSeconds(90));

    /// <summary>A budget of a test's own (a stress run, a build), stretched like the others.</summary>
    public static TimeSpan Scaled(TimeSpan budget) => budget * Scale;

    /// <summary>
    /// A token cancelled after <see cref="Default"/>, for APIs that take a token instead of returning a task to bound.
    /// The source is left to its timer, which frees it when it fires.
    /// </summary>
    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;

    /// <summary>Awaits <paramref name="task"/> at most <see cref="Default"/>; the failure names the awaiting line.</summary>
    public static Task WithTimeout(this Task task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => Eventually.CompletesAsync(task, At(file, line));

    /// <inheritdoc cref="WithTimeout(Task, string, int)"/>
    public static Task<T> WithTimeout<T>(this Task<T> task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => Eventually.CompletesAsync(task, At(file, line));

    /// <inheritdoc cref="WithTimeout(Task, string, int)"/>
    public static Task WithTimeout(this ValueTask task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => Eventually.CompletesAsync(task.AsTask(), At(file, line));

    /// <inheritdoc cref="WithTimeout(Task, string, int)"/>
    public static Task<T> WithTimeout<T>(this ValueTask<T> task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => Eventually.CompletesAsync(task.AsTask(), At(file, line));

    private static string At(string file, int line) => $"the await at {Path.GetFileName(file)}:{line}";

    private static double ReadScale()
    {
        var text = Environment.GetEnvironmentVariable(ScaleVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? scale
            : throw new InvalidOperationException($"{ScaleVariable}='{text}' is not a positive number");
    }
}
