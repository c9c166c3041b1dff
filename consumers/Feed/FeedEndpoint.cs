using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// <c>GET /ws?devices=plc*&amp;tags=DB1.*</c>: the live feed. On connect a snapshot, then change and status
/// messages for what the patterns select (both optional, default everything); a subscribe message replaces them.
/// </summary>
public static class FeedEndpoint
{
    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder app)
    {
        app.Map("/ws", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, FeedHub hub, Writes.OperatorWrites writes, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Api.ApiError.BadRequest("/ws is a websocket endpoint (send Upgrade: websocket)")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (!Subscription.TryParse(query["devices"], query["tags"], out var subscription, out var error))
        {
            await Api.ApiError.BadRequest(error!).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var client = hub.TryAdd(subscription, Security.Caller.Of(context), Writes.WriteApi.Client(context));
        if (client is null)
        {
            await Api.ApiError.Unavailable($"too many websocket clients (at most {hub.Limits.MaxClients})").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(15),
                KeepAliveTimeout = TimeSpan.FromSeconds(30),
            }).ConfigureAwait(false);
            var session = new FeedSession(socket, client, hub, loggers.CreateLogger<FeedSession>()) { Writes = writes };
            await session.RunAsync(lifetime.ApplicationStopping, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            hub.Remove(client);
        }
    }
}
