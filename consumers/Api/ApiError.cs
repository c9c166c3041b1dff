using System.Text.Json;
using System.Text.Json.Serialization;
using EdgePartition.Consumers.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgePartition.Consumers.Api;

/// <summary>The body of every error response: <c>{"error":"what went wrong and what to do"}</c>.</summary>
public sealed record ApiError(string Error)
{
    public static NotFound<ApiError> NotFound(string message) => TypedResults.NotFound(new ApiError(message));

    public static BadRequest<ApiError> BadRequest(string message) => TypedResults.BadRequest(new ApiError(message));

    public static JsonHttpResult<ApiError> Unavailable(string message) =>
        TypedResults.Json(new ApiError(message), ConsumersJsonContext.Api.ApiError, statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Source-generated serialisation of the API's fixed-shape bodies (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApiError))]
public sealed partial class ConsumersJsonContext : JsonSerializerContext
{
    /// <summary>The context with the API's encoder (<see cref="JsonDefaults"/>), for bodies written outside minimal APIs.</summary>
    public static ConsumersJsonContext Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JsonDefaults.Encoder });
}
