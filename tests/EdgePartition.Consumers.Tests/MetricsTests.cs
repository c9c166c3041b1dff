using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using EdgePartition.Consumers.Metrics;

namespace EdgePartition.Consumers.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsExposeDeviceCountersStatesSyncAndFeed()
    {
        await using var partition = await TestPartition.StartAsync();
        partition.Commit("plc1", w => w.Status.ReadsFailed = 4);
        partition.Commit("sync", w =>
        {
            w.SetUInt32(w.Layout.IndexOf("heartbeat"), 12);
            w.SetUInt64(w.Layout.IndexOf("request.start.served"), 5);
            w.SetUInt64(w.Layout.IndexOf("request.start.timed_out"), 2);
            w.SetBool(w.Layout.IndexOf("alive.plc1"), true);
        });

        var text = await PollMetricsAsync(partition, m => Value(m, "edgepart_sync_server_heartbeat") == 12 && Value(m, "edgepart_read_errors_total{", "device=\"plc1\"") == 4);
        var device = $"partition=\"{partition.Name}\",device=\"plc1\"";
        Assert.Contains("# TYPE edgepart_reads_total counter", text);
        Assert.Contains($"edgepart_connection_state{{{device},state=\"connected\"}} 1", text);
        Assert.Contains($"edgepart_connection_state{{{device},state=\"faulted\"}} 0", text);
        Assert.Contains($"edgepart_writer_alive{{{device}}} 1", text);
        Assert.Contains($"edgepart_cycle_max_seconds{{{device}}}", text);

        // The writer keeps no distribution of its cycle times, so there is no histogram to project (see manual).
        Assert.DoesNotContain("edgepart_cycle_duration_seconds", text);
        Assert.Contains($"edgepart_device_alive{{{device}}} 1", text);
        Assert.Contains("edgepart_writer_heartbeat_age_seconds{", text);
        Assert.Contains($"edgepart_sync_requests_total{{partition=\"{partition.Name}\",pair=\"start\",outcome=\"served\"}} 5", text);
        Assert.Contains($"edgepart_sync_requests_total{{partition=\"{partition.Name}\",pair=\"start\",outcome=\"timed_out\"}} 2", text);
        Assert.Contains("edgepart_ws_clients{", text);
        Assert.Contains("edgepart_ws_dropped_total{", text);
        AssertWellFormed(text);
    }

    [Fact]
    public void TextWriterEscapesLabelValuesAndSpellsSpecialNumbers()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new PrometheusTextWriter(buffer);
        writer.Family("m", "gauge", "help with \\ and\nnewline");
        writer.Sample("m", double.NaN, new MetricLabel("a", "quote\" back\\ nl\n"));
        writer.Sample("m", double.PositiveInfinity);
        writer.Sample("m", 0.1);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Equal(
            "# HELP m help with \\\\ and\\nnewline\n# TYPE m gauge\n" +
            "m{a=\"quote\\\" back\\\\ nl\\n\"} NaN\nm +Inf\nm 0.1\n",
            text);
    }

    /// <summary>Every line is a comment or "name{labels} number".</summary>
    private static void AssertWellFormed(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-z0-9_]+ ", line);
                continue;
            }

            Assert.Matches(@"^[a-z0-9_]+(\{[a-z0-9_]+=""[^""]*""(,[a-z0-9_]+=""[^""]*"")*\})? (NaN|[+-]Inf|-?[0-9.eE+-]+)$", line);
        }
    }

    /// <summary>The first sample whose line starts with <paramref name="prefix"/> and contains <paramref name="contains"/>.</summary>
    public static double Value(string metrics, string prefix, string contains = "")
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(contains, StringComparison.Ordinal) &&
                (line.Length > prefix.Length && (line[prefix.Length] is '{' or ' ' || prefix.EndsWith('{'))))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    public static async Task<string> PollMetricsAsync(TestPartition partition, Func<string, bool> done)
    {
        // The scrape projects shared memory that the collectors update on their own: nothing to wait on but the page.
        using var client = partition.Client();
        return await Eventually.PollAsync(
            async () =>
            {
                using var response = await client.GetAsync("/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
                return await response.Content.ReadAsStringAsync();
            },
            done,
            "metrics reaching the expected state");
    }
}
