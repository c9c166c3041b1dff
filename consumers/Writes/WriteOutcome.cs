using Microsoft.AspNetCore.Http;

namespace EdgePartition.Consumers.Writes;

/// <summary>How a write attempt ended; each maps to one HTTP status and one name in the feed, audit and metrics.</summary>
public enum WriteOutcome
{
    /// <summary>The collector wrote the value to the device.</summary>
    Done,

    /// <summary>The value does not fit the tag (type, range, length, shape).</summary>
    BadValue,

    /// <summary>The caller's token lacks the write role or its scopes do not cover the tag.</summary>
    Forbidden,

    /// <summary>No such device or tag.</summary>
    NotFound,

    /// <summary>The tag is not writable (config), or it is the merged sync image.</summary>
    NotWritable,

    /// <summary>The token made more writes per second than allowed.</summary>
    RateLimited,

    /// <summary>The device is not connected, or its collector is not running: nothing was queued.</summary>
    DeviceDown,

    /// <summary>The device's write queue is full: nothing was queued.</summary>
    QueueFull,

    /// <summary>The device refused the write (its error text is in the message).</summary>
    Refused,

    /// <summary>No result in time; the request expires in the queue, so it is never executed later.</summary>
    TimedOut,
}

/// <summary>The names and HTTP statuses of <see cref="WriteOutcome"/>.</summary>
public static class WriteOutcomes
{
    public static string Name(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Done => "done",
        WriteOutcome.BadValue => "badValue",
        WriteOutcome.Forbidden => "forbidden",
        WriteOutcome.NotFound => "notFound",
        WriteOutcome.NotWritable => "notWritable",
        WriteOutcome.RateLimited => "rateLimited",
        WriteOutcome.DeviceDown => "deviceDown",
        WriteOutcome.QueueFull => "queueFull",
        WriteOutcome.Refused => "refused",
        _ => "timedOut",
    };

    /// <summary>200, 400, 403, 404, 409, 429, 503 (down or full: retry later), 502 (the device said no), 504.</summary>
    public static int HttpStatus(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Done => StatusCodes.Status200OK,
        WriteOutcome.BadValue => StatusCodes.Status400BadRequest,
        WriteOutcome.Forbidden => StatusCodes.Status403Forbidden,
        WriteOutcome.NotFound => StatusCodes.Status404NotFound,
        WriteOutcome.NotWritable => StatusCodes.Status409Conflict,
        WriteOutcome.RateLimited => StatusCodes.Status429TooManyRequests,
        WriteOutcome.DeviceDown or WriteOutcome.QueueFull => StatusCodes.Status503ServiceUnavailable,
        WriteOutcome.Refused => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status504GatewayTimeout,
    };

    /// <summary>Seconds a client should wait before retrying, for the outcomes that say "later".</summary>
    public static int? RetryAfterSeconds(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.DeviceDown => 5,
        WriteOutcome.QueueFull or WriteOutcome.RateLimited => 1,
        _ => null,
    };

    public static IReadOnlyList<WriteOutcome> All { get; } = Enum.GetValues<WriteOutcome>();
}
