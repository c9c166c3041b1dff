using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Security;

/// <summary>
/// Requires the partition's bearer token on every request but <c>/healthz</c> (a supervisor's liveness probe must
/// not need a secret). Programs send <c>Authorization: Bearer &lt;token&gt;</c>. A browser cannot add that header to
/// a page load or a websocket, so the dashboard link may carry <c>?access_token=</c> once: the token is then kept
/// in an HttpOnly, SameSite=Strict cookie and the browser is redirected to the same URL without it.
/// Tokens are looked up by their SHA-256 in constant time (<see cref="TokenStore"/>); the caller found (name, role,
/// scopes) is attached to the request for the write path and the audit.
/// </summary>
public sealed partial class BearerTokenMiddleware(RequestDelegate next, TokenStore tokens, ILogger<BearerTokenMiddleware> logger)
{
    public const string CookieName = "edgepart_token";
    public const string QueryName = "access_token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/healthz", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var presented = PresentedToken(context.Request, out var fromQuery);
        if (presented is null)
        {
            await RejectAsync(context, "invalid_request", "a bearer token is required (Authorization: Bearer <token>)");
            return;
        }

        if (tokens.Find(presented) is not { } caller)
        {
            LogRejected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", context.Request.Path.Value ?? "/");
            await RejectAsync(context, "invalid_token", "the bearer token is not valid");
            return;
        }

        if (fromQuery && HttpMethods.IsGet(context.Request.Method) && !context.WebSockets.IsWebSocketRequest)
        {
            // Keep the secret out of the address bar and history: remember it in a cookie and reload without it.
            context.Response.Cookies.Append(CookieName, presented, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + QueryWithoutToken(context.Request));
            return;
        }

        caller.AttachTo(context);
        await next(context);
    }

    private static string? PresentedToken(HttpRequest request, out bool fromQuery)
    {
        fromQuery = false;
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            const string scheme = "Bearer ";
            return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : string.Empty;
        }

        if (request.Query.TryGetValue(QueryName, out var query) && query.Count == 1 && !string.IsNullOrEmpty(query[0]))
        {
            fromQuery = true;
            return query[0];
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0 ? cookie : null;
    }

    private static string QueryWithoutToken(HttpRequest request)
    {
        var builder = new QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (key == QueryName)
            {
                continue;
            }

            foreach (var value in values)
            {
                builder.Add(key, value ?? string.Empty);
            }
        }

        return builder.ToQueryString().Value ?? string.Empty;
    }

    private static Task RejectAsync(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"edgepart\", error=\"{error}\"";
        return context.Response.WriteAsJsonAsync(new Api.ApiError(description), Api.ConsumersJsonContext.Api.ApiError);
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Rejected a request with a wrong bearer token from {Remote} for {Path}")]
    private static partial void LogRejected(ILogger logger, string remote, string path);
}
