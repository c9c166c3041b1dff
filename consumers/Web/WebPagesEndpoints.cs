using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgePartition.Consumers.Web;

/// <summary>The dashboard page with its scripts and styles, and the operator's manual (HTML and Markdown).</summary>
public static class WebPagesEndpoints
{
    /// <summary>The page may load only what this process serves: no external script, style, font or connection.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app, EmbeddedAssets assets, ManualPage manual)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, assets, "/index.html"));
        app.MapGet("/{file}", (HttpContext context, string file) => Serve(context, assets, "/" + file));
        app.MapGet("/manual", (HttpContext context) => ServeBytes(context, manual.Html, "text/html; charset=utf-8", manual.HtmlETag));
        app.MapGet("/manual.md", (HttpContext context) => ServeBytes(context, manual.Markdown, "text/markdown; charset=utf-8", manual.MarkdownETag));
        return app;
    }

    private static IResult Serve(HttpContext context, EmbeddedAssets assets, string path) =>
        assets.TryGet(path, out var asset)
            ? ServeBytes(context, asset.Content, asset.ContentType, asset.ETag)
            : Api.ApiError.NotFound($"no page {path}");

    private static IResult ServeBytes(HttpContext context, byte[] content, string contentType, string etag)
    {
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(content, contentType);
    }
}
