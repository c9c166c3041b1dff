using System.Buffers;
using System.Globalization;
using System.Text;

namespace EdgePartition.Consumers.Metrics;

/// <summary>One label of a sample.</summary>
public readonly record struct MetricLabel(string Name, string Value);

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4) as UTF-8: <c># HELP</c> and <c># TYPE</c> once
/// per family, then samples with escaped label values. Numbers use the invariant culture and Prometheus' spelling
/// of the special values (NaN, +Inf, -Inf).
/// </summary>
public sealed class PrometheusTextWriter(IBufferWriter<byte> output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Family(string name, string type, string help)
    {
        Write("# HELP ");
        Write(name);
        Write(" ");
        WriteEscaped(help, escapeQuotes: false);
        Write("\n# TYPE ");
        Write(name);
        Write(" ");
        Write(type);
        Write("\n");
    }

    public void Sample(string name, double value, params ReadOnlySpan<MetricLabel> labels)
    {
        Write(name);
        WriteLabels(labels, default);
        Write(" ");
        WriteNumber(value);
        Write("\n");
    }

    private void WriteLabels(ReadOnlySpan<MetricLabel> labels, MetricLabel extra)
    {
        if (labels.IsEmpty && extra.Name is null)
        {
            return;
        }

        Write("{");
        var first = true;
        foreach (var label in labels)
        {
            WriteLabel(label, ref first);
        }

        if (extra.Name is not null)
        {
            WriteLabel(extra, ref first);
        }

        Write("}");
    }

    private void WriteLabel(MetricLabel label, ref bool first)
    {
        if (!first)
        {
            Write(",");
        }

        first = false;
        Write(label.Name);
        Write("=\"");
        WriteEscaped(label.Value, escapeQuotes: true);
        Write("\"");
    }

    private void WriteNumber(double value)
    {
        if (double.IsNaN(value))
        {
            Write("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            Write("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            Write("-Inf");
        }
        else
        {
            var span = output.GetSpan(32);
            value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
            output.Advance(written);
        }
    }

    private void WriteEscaped(string text, bool escapeQuotes)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '"' when escapeQuotes => "\\\"",
                _ => null,
            };
            if (replacement is null)
            {
                continue;
            }

            Write(text.AsSpan(start, i - start));
            Write(replacement);
            start = i + 1;
        }

        Write(text.AsSpan(start));
    }

    private void Write(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
