using EdgePartition.Consumers.Api;
using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Metrics;
using EdgePartition.Consumers.Partition;
using EdgePartition.Consumers.Security;
using EdgePartition.Consumers.Web;
using EdgePartition.Consumers.Writes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgePartition.Consumers;

/// <summary>
/// The consumers process: Kestrel with the status API, the websocket feed, the dashboard, /metrics and the manual,
/// over read-only snapshots of the partition's segments. <c>edgepart consumers</c> and the tests build it here.
/// </summary>
public static partial class ConsumersServer
{
    /// <summary>
    /// Builds the application. <paramref name="configure"/> may add logging or hosting services (the CLI adds the
    /// partition host wiring: systemd notify, journal logging) before it is built.
    /// </summary>
    public static WebApplication Build(PartitionPlan plan, ConsumersOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ConsumersServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                if (options.TlsCertificatePath is { } certificate)
                {
                    listen.UseHttps(TlsCertificates.Load(certificate, options.TlsKeyPath, options.TlsCertificatePassword));
                }
            });
        });

        var partition = new PartitionState(plan);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Feed);
        builder.Services.AddSingleton(partition);
        builder.Services.AddSingleton<FeedHub>();
        var tokens = new TokenStore(options.BearerToken, options.Tokens);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton<Audit.WriteAudit>();
        builder.Services.AddSingleton<Writes.WriteRateLimiter>();
        builder.Services.AddSingleton<Writes.OperatorWrites>();
        builder.Services.AddHostedService<PartitionMonitor>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ConsumersJsonContext.Default);
            json.SerializerOptions.Encoder = Json.JsonDefaults.Encoder;
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        if (tokens.HasLegacyBearerToken)
        {
            LogBearerTokenDeprecated(app.Logger, options.Tokens?.BearerTokenRole == Config.AccessTokenRole.Write ? "read and write" : "read only");
        }

        if (tokens.RequiresToken)
        {
            app.UseMiddleware<BearerTokenMiddleware>(tokens);
        }

        app.UseWebSockets();
        app.MapHealthApi();
        app.MapGroup("/api").MapStatusApi().MapSyncApi();
        app.MapGroup("/api/devices").MapDevicesApi().MapWriteApi();
        app.MapGroup("/api/writes").MapWriteLogApi();
        app.MapMetrics();
        app.MapFeed();
        app.MapWebPages(EmbeddedAssets.Load(), ManualPage.LoadEmbedded());
        app.MapFallback((HttpContext context) => ApiError.NotFound($"no endpoint {context.Request.Path}; see /manual"));
        return app;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 402, Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "The bearerToken attribute is deprecated ({Access}): make named tokens with 'edgepart token new NAME --role read|write' and list them in a <tokens file=...> element")]
    private static partial void LogBearerTokenDeprecated(Microsoft.Extensions.Logging.ILogger logger, string access);

    /// <summary>The address Kestrel actually bound (the port the OS picked when the options asked for 0).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server has not started");
        return new Uri(first);
    }
}
