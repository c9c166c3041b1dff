using System.Globalization;
using System.Text.Json;
using EdgePartition.Consumers.Audit;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// <c>PUT /api/devices/{device}/tags/{tag}</c> with <c>{"value":…}</c> (and <c>"index"</c> for one element of an
/// array), <c>POST /api/devices/{device}/write</c> with <c>{"writes":[{"tag":…,"value":…},…]}</c> (executed in
/// order), <c>GET /api/writes/recent</c> (the last attempts) and <c>GET /api/writes/access</c> (the caller's role). The status is the write's: 200 done, 400 bad value, 403 not allowed,
/// 404, 409 not writable, 429 too many, 502 refused by the device, 503 device down or queue full (Retry-After),
/// 504 no result in time.
/// </summary>
public static class WriteApi
{
    /// <summary>Most writes in one batch request.</summary>
    public const int MaxBatch = 64;

    public static RouteGroupBuilder MapWriteApi(this RouteGroupBuilder group)
    {
        group.MapPut("/{device}/tags/{**tag}", PutTagAsync);
        group.MapPost("/{device}/write", PostBatchAsync);
        return group;
    }

    public static RouteGroupBuilder MapWriteLogApi(this RouteGroupBuilder group)
    {
        group.MapGet("/recent", GetRecentAsync);
        group.MapGet("/access", GetAccessAsync);
        return group;
    }

    private static async Task PutTagAsync(HttpContext context, string device, string tag, OperatorWrites writes)
    {
        using var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var caller = Caller.Of(context);
        if (body is null || body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("value", out var value) ||
            !TryIndex(body.RootElement, out var index))
        {
            writes.Refuse(device, tag, WriteOutcome.BadValue, "the body is not {\"value\":…}", caller, Client(context));
            await RespondAsync(context, WriteOutcomes.HttpStatus(WriteOutcome.BadValue), null, w => WriteBodyError(w, device, tag)).ConfigureAwait(false);
            return;
        }

        var report = await writes.WriteAsync(new WriteRequestText(device, tag, value, index), caller, Client(context), context.RequestAborted).ConfigureAwait(false);
        await RespondAsync(context, WriteOutcomes.HttpStatus(report.Outcome), WriteOutcomes.RetryAfterSeconds(report.Outcome), w =>
        {
            w.WriteStartObject();
            report.WriteFields(w);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task PostBatchAsync(HttpContext context, string device, OperatorWrites writes)
    {
        using var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null || body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("writes", out var list) ||
            list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxBatch)
        {
            await RespondAsync(context, StatusCodes.Status400BadRequest, null,
                w => WriteError(w, $"expected {{\"writes\":[{{\"tag\":\"name\",\"value\":…}}, …]}} with 1..{MaxBatch} writes")).ConfigureAwait(false);
            return;
        }

        var caller = Caller.Of(context);
        var reports = new List<WriteReport>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("tag", out var tag) || tag.ValueKind != JsonValueKind.String ||
                !item.TryGetProperty("value", out var value) || !TryIndex(item, out var index))
            {
                var named = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("tag", out var tagName) && tagName.ValueKind == JsonValueKind.String
                    ? tagName.GetString()! : "?";
                writes.Refuse(device, named, WriteOutcome.BadValue, $"batch item {reports.Count} is not {{\"tag\":…,\"value\":…}}", caller, Client(context));
                await RespondAsync(context, StatusCodes.Status400BadRequest, null,
                    w => WriteError(w, $"write {reports.Count}: expected {{\"tag\":\"name\",\"value\":…}} (and optionally \"index\"); nothing after it was written")).ConfigureAwait(false);
                return;
            }

            reports.Add(await writes.WriteAsync(new WriteRequestText(device, tag.GetString()!, value, index), caller, Client(context), context.RequestAborted)
                .ConfigureAwait(false));
        }

        // The status of the first write that was not done (all results are in the body either way).
        var first = reports.Find(r => r.Outcome != WriteOutcome.Done);
        var outcome = first?.Outcome ?? WriteOutcome.Done;
        await RespondAsync(context, WriteOutcomes.HttpStatus(outcome), WriteOutcomes.RetryAfterSeconds(outcome), w =>
        {
            w.WriteStartObject();
            w.WriteString("result"u8, WriteOutcomes.Name(outcome));
            w.WriteStartArray("results"u8);
            foreach (var report in reports)
            {
                w.WriteStartObject();
                report.WriteFields(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static Task GetRecentAsync(HttpContext context, WriteAudit audit) =>
        RespondAsync(context, StatusCodes.Status200OK, null, w =>
        {
            w.WriteStartArray();
            foreach (var report in audit.Recent())
            {
                report.WriteAudit(w);
            }

            w.WriteEndArray();
        });

    /// <summary>Who the caller is and whether it may write at all (the dashboard shows edit controls only then).</summary>
    private static Task GetAccessAsync(HttpContext context) =>
        RespondAsync(context, StatusCodes.Status200OK, null, w =>
        {
            var caller = Caller.Of(context);
            w.WriteStartObject();
            w.WriteString("token"u8, caller.Name);
            w.WriteBoolean("canWrite"u8, caller.CanWrite);
            w.WriteEndObject();
        });

    private static bool TryIndex(JsonElement item, out int? index)
    {
        index = null;
        if (!item.TryGetProperty("index", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            index = value;
            return true;
        }

        return false;
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 8 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteBodyError(Utf8JsonWriter writer, string device, string tag) =>
        WriteError(writer, $"expected a JSON body {{\"value\":…}} (and \"index\" for one element of an array) to write {device}/{tag}");

    private static void WriteError(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("error"u8, message);
        writer.WriteEndObject();
    }

    /// <summary>The client's address as the audit records it.</summary>
    public static string Client(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? string.Create(CultureInfo.InvariantCulture, $"{address}:{context.Connection.RemotePort}")
            : "?";

    private static async Task RespondAsync(HttpContext context, int status, int? retryAfter, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonDefaults.WriterOptions))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
