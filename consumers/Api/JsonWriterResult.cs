using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace EdgePartition.Consumers.Api;

/// <summary>
/// A 200 response written straight to the response body with a <see cref="Utf8JsonWriter"/>: the status and tag
/// bodies are read from segment bytes by the same writers the websocket uses, with no intermediate objects.
/// </summary>
public sealed class JsonWriterResult(Action<Utf8JsonWriter> write) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "no-store";
        var body = httpContext.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, Json.JsonDefaults.WriterOptions))
        {
            write(writer);
        }

        await body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(void), ["application/json"]));
}
