using System.Text.Json;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Partition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Api;

/// <summary><c>GET /api/sync</c>: the sync process: status, server heartbeat, last merge and the request/ack table.</summary>
public static class SyncApi
{
    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder group)
    {
        group.MapGet("/sync", GetSync);
        return group;
    }

    public static Results<JsonWriterResult, NotFound<ApiError>, BadRequest<ApiError>> GetSync(HttpContext context, PartitionState partition)
    {
        if (!QueryRules.TryCheck(context.Request.Query, [], out var error))
        {
            return ApiError.BadRequest(error!);
        }

        if (partition.Sync is null)
        {
            return ApiError.NotFound($"partition '{partition.Name}' has no sync rules, so no sync process");
        }

        return new JsonWriterResult(writer => WriteSync(writer, partition));
    }

    /// <summary>The sync source with its details, or null when the partition has none.</summary>
    public static void WriteSync(Utf8JsonWriter writer, PartitionState partition)
    {
        if (partition.Sync is not { } sync)
        {
            writer.WriteNullValue();
            return;
        }

        var snapshot = sync.Current;
        writer.WriteStartObject();
        writer.WriteString("name"u8, sync.Name);
        writer.WriteString("segment"u8, Ipc.SegmentNames.SegmentPath(partition.Plan.SegmentDirectory, partition.Name, sync.Name));
        writer.WritePropertyName("status"u8);
        StatusJson.Write(writer, snapshot, snapshot, sync.Name);
        SourceJson.WriteSyncDetails(writer, snapshot);
        writer.WriteEndObject();
    }
}
