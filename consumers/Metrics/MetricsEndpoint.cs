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

    private static async Task WriteAsync(HttpContext context, PartitionState partition, FeedHub hub)
    {
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        PartitionMetrics.Write(new PrometheusTextWriter(context.Response.BodyWriter), partition, hub);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
