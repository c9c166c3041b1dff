using System.Text.Json;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Api;

/// <summary>
/// <c>GET /healthz</c> (no token needed): 200 when every process of the partition is alive and fresh (its writer
/// holds the lease and its heartbeat is younger than the freshness limit), 503 otherwise; the body says which.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth);
        return app;
    }

    public static IResult GetHealth(PartitionState partition, ConsumersOptions options)
    {
        var healthy = true;
        foreach (var source in partition.Sources)
        {
            healthy &= Verdict(source.Current, options.FreshnessLimit) is null;
        }

        return new HealthResult(healthy, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("healthy"u8, healthy);
            writer.WriteString("partition"u8, partition.Name);
            writer.WriteStartArray("processes"u8);
            foreach (var source in partition.Sources)
            {
                var snapshot = source.Current;
                var problem = Verdict(snapshot, options.FreshnessLimit);
                writer.WriteStartObject();
                writer.WriteString("name"u8, source.Name);
                writer.WriteBoolean("healthy"u8, problem is null);
                writer.WriteString("liveness"u8, snapshot.Present ? StatusJson.LivenessName(snapshot.Liveness) : "absent");
                if (snapshot.Present)
                {
                    writer.WriteNumber("heartbeatAgeMs"u8, Math.Round(snapshot.Writer.HeartbeatAge.TotalMilliseconds, 1));
                }

                if (problem is not null)
                {
                    writer.WriteString("problem"u8, problem);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Null when the source's writer is alive and fresh; otherwise what is wrong.</summary>
    public static string? Verdict(SourceSnapshot snapshot, TimeSpan freshness)
    {
        if (!snapshot.Present)
        {
            return snapshot.Problem ?? "no segment";
        }

        if (snapshot.Liveness != WriterLiveness.Alive)
        {
            return $"writer {StatusJson.LivenessName(snapshot.Liveness)}";
        }

        var age = snapshot.Writer.HeartbeatAge;
        return age > freshness ? $"heartbeat {age.TotalSeconds:F1} s old (limit {freshness.TotalSeconds:F1} s)" : null;
    }

    private sealed class HealthResult(bool healthy, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.Headers.CacheControl = "no-store";
            using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, JsonDefaults.WriterOptions))
            {
                write(writer);
            }

            await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
