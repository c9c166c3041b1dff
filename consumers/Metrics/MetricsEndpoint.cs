using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Partition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Metrics;

/// <summary><c>GET /metrics</c>: the partition in Prometheus text format, computed from the latest snapshots.</summary>
public static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", WriteAsync);
        return app;
    }

    private static async Task WriteAsync(HttpContext context, PartitionState partition, FeedHub hub, Audit.WriteAudit audit)
    {
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        var writer = new PrometheusTextWriter(context.Response.BodyWriter);
        PartitionMetrics.Write(writer, partition, hub);
        WriteAttempts(writer, audit);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Operator write attempts (HTTP and feed) by result, as audited.</summary>
    private static void WriteAttempts(PrometheusTextWriter w, Audit.WriteAudit audit)
    {
        const string name = "edgepart_operator_writes_total";
        w.Family(name, "counter", "Write attempts from the HTTP API and the websocket feed, by result.");
        foreach (var outcome in Writes.WriteOutcomes.All)
        {
            w.Sample(name, audit.Count(outcome), new MetricLabel("result", Writes.WriteOutcomes.Name(outcome)));
        }
    }
}
