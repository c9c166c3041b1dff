using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Partition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Api;

/// <summary>
/// <c>GET /api/devices</c>, <c>/api/devices/{device}</c>, <c>/api/devices/{device}/tags?name=DB1.*</c> and
/// <c>/api/devices/{device}/tags/{tag}</c>: device status and tag values with quality and source time. The sync
/// segment is reachable as the device "sync" for its raw tags. Read-only: there is no route that writes.
/// </summary>
public static class DevicesApi
{
    private static readonly string[] TagQuery = ["name"];

    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder group)
    {
        group.MapGet("/", GetDevices);
        group.MapGet("/{device}", GetDevice);
        group.MapGet("/{device}/tags", GetTags);
        group.MapGet("/{device}/tags/{**tag}", GetTag);
        return group;
    }

    public static Results<JsonWriterResult, BadRequest<ApiError>> GetDevices(HttpContext context, PartitionState partition)
    {
        if (!QueryRules.TryCheck(context.Request.Query, [], out var error))
        {
            return ApiError.BadRequest(error!);
        }

        return new JsonWriterResult(writer =>
        {
            writer.WriteStartArray();
            foreach (var source in partition.Sources)
            {
                if (source.Plan.Kind == SourceKind.Device)
                {
                    SourceJson.Write(writer, partition, source, source.Current, tags: null);
                }
            }

            writer.WriteEndArray();
        });
    }

    public static Results<JsonWriterResult, NotFound<ApiError>, BadRequest<ApiError>> GetDevice(HttpContext context, PartitionState partition, string device)
    {
        if (!QueryRules.TryCheck(context.Request.Query, [], out var error))
        {
            return ApiError.BadRequest(error!);
        }

        if (partition.Find(device) is not { } source)
        {
            return UnknownDevice(partition, device);
        }

        var snapshot = source.Current;
        return new JsonWriterResult(writer => SourceJson.Write(writer, partition, source, snapshot, tags: null));
    }

    public static Results<JsonWriterResult, NotFound<ApiError>, BadRequest<ApiError>> GetTags(HttpContext context, PartitionState partition, string device)
    {
        if (!QueryRules.TryCheck(context.Request.Query, TagQuery, out var error) ||
            !QueryRules.TryNamePattern(context.Request.Query, out var pattern, out error))
        {
            return ApiError.BadRequest(error!);
        }

        if (partition.Find(device) is not { } source)
        {
            return UnknownDevice(partition, device);
        }

        var snapshot = source.Current;
        if (!snapshot.Present)
        {
            return ApiError.NotFound($"device '{device}' has no segment yet ({snapshot.Problem}); is its collector running?");
        }

        return new JsonWriterResult(writer => SourceJson.WriteTags(writer, snapshot, pattern));
    }

    public static Results<JsonWriterResult, NotFound<ApiError>, BadRequest<ApiError>> GetTag(HttpContext context, PartitionState partition, string device, string tag)
    {
        if (!QueryRules.TryCheck(context.Request.Query, [], out var error))
        {
            return ApiError.BadRequest(error!);
        }

        if (partition.Find(device) is not { } source)
        {
            return UnknownDevice(partition, device);
        }

        var snapshot = source.Current;
        if (snapshot.Layout is not { } layout || !layout.TryGetIndex(tag, out var index))
        {
            return ApiError.NotFound(snapshot.Present
                ? $"device '{device}' has no tag '{tag}'"
                : $"device '{device}' has no segment yet ({snapshot.Problem})");
        }

        return new JsonWriterResult(writer => SourceJson.WriteTag(writer, snapshot.Data, layout.Tag(index), layout.Slot(index)));
    }

    private static NotFound<ApiError> UnknownDevice(PartitionState partition, string device)
    {
        var names = new List<string>(partition.Sources.Count);
        foreach (var source in partition.Sources)
        {
            names.Add(source.Name);
        }

        return ApiError.NotFound($"no device '{device}' in partition '{partition.Name}' (devices: {string.Join(", ", names)})");
    }
}
