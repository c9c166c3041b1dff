using System.Text.Json;
using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Partition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Api;

/// <summary>
/// <c>GET /api/status</c>: the troubleshooting view of the whole partition in one document: every device (protocol,
/// endpoint, connection state and since when, last error, counters, cycle times, heartbeat age, sync's alive
/// verdict, writer liveness), the sync (cycle counter and time, server heartbeat, last merge, request table) and
/// the websocket feed's own counters.
/// </summary>
public static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this RouteGroupBuilder group)
    {
        group.MapGet("/status", GetStatus);
        return group;
    }

    public static Results<JsonWriterResult, BadRequest<ApiError>> GetStatus(HttpContext context, PartitionState partition, FeedHub hub)
    {
        if (!QueryRules.TryCheck(context.Request.Query, [], out var error))
        {
            return ApiError.BadRequest(error!);
        }

        return new JsonWriterResult(writer => Write(writer, partition, hub));
    }

    private static void Write(Utf8JsonWriter writer, PartitionState partition, FeedHub hub)
    {
        writer.WriteStartObject();
        writer.WriteString("partition"u8, partition.Name);
        writer.WriteString("segmentDirectory"u8, partition.Plan.SegmentDirectory);
        writer.WritePropertyName("now"u8);
        TagValueJson.WriteTime(writer, Ipc.UnixTime.NowNs());
        writer.WritePropertyName("startedAt"u8);
        TagValueJson.WriteTime(writer, partition.StartedUnixNs);
        writer.WriteStartArray("devices"u8);
        foreach (var source in partition.Sources)
        {
            if (source.Plan.Kind == SourceKind.Device)
            {
                SourceJson.Write(writer, partition, source, source.Current, tags: null);
            }
        }

        writer.WriteEndArray();
        writer.WritePropertyName("sync"u8);
        SyncApi.WriteSync(writer, partition);
        writer.WriteStartObject("feed"u8);
        writer.WriteNumber("clients"u8, hub.ClientCount);
        writer.WriteNumber("connections"u8, hub.Connections);
        writer.WriteNumber("coalesced"u8, hub.Coalesced);
        writer.WriteNumber("closedSlow"u8, hub.ClosedSlow);
        writer.WriteNumber("closedMisbehaving"u8, hub.ClosedMisbehaving);
        writer.WriteNumber("refused"u8, hub.Refused);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
