using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>Log messages of the S7 and Modbus endpoints (event ids 7100..7199).</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(7100, LogLevel.Information, "{Endpoint} endpoint of partition {Partition} listening on {EndPoint} ({Access})")]
    public static partial void Listening(ILogger logger, string endpoint, string partition, string endPoint, string access);

    [LoggerMessage(7101, LogLevel.Information, "{Endpoint} endpoint attached to segment {Segment} ({Tags} tags mapped)")]
    public static partial void Attached(ILogger logger, string endpoint, string segment, int tags);

    [LoggerMessage(7102, LogLevel.Warning, "{Endpoint} endpoint: tag {Segment}.{Tag} differs from the config in the segment; it stays zero")]
    public static partial void TagMismatch(ILogger logger, string endpoint, string segment, string tag);

    [LoggerMessage(7103, LogLevel.Information, "{Endpoint} endpoint: segment {Segment} writer is {Liveness}; its block keeps the last values")]
    public static partial void WriterLiveness(ILogger logger, string endpoint, string segment, WriterLiveness liveness);

    [LoggerMessage(7104, LogLevel.Debug, "{Endpoint} endpoint: segment {Segment} not available yet: {Reason}")]
    public static partial void NotAvailable(ILogger logger, string endpoint, string segment, string reason);

    [LoggerMessage(7105, LogLevel.Information, "{Endpoint} endpoint: write from {Client} to {Segment}.{Tag} queued as request {RequestId}")]
    public static partial void WriteQueued(ILogger logger, string endpoint, string? client, string segment, string tag, ulong requestId);

    [LoggerMessage(7106, LogLevel.Information, "{Endpoint} endpoint: write from {Client} at {Address} refused: {Reason}")]
    public static partial void WriteRefused(ILogger logger, string endpoint, string? client, string address, string reason);

    [LoggerMessage(7107, LogLevel.Error, "{Endpoint} endpoint: following segment {Segment} failed")]
    public static partial void FollowerFailed(ILogger logger, Exception error, string endpoint, string segment);
}
