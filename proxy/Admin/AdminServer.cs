using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Handlers;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// The proxy's admin HTTP port (<c>--admin-listen</c>, docs/metrics.md) on Kestrel, apart from the
/// RESP data path: <c>/metrics</c> (Prometheus text), <c>/healthz</c> (200 when every replica set
/// has a readable copy, else 503 and why), <c>/api/ring</c>, <c>/api/stats</c>,
/// <c>/api/events</c> (JSON) and the dashboard (<c>/</c>, static files embedded in the assembly).
/// Read-only: nothing here changes the proxy. Kestrel was chosen over prometheus-net's own
/// HttpListener server because the dashboard and JSON endpoints need routing, and the framework
/// is already on every machine that runs the captcha.
/// </summary>
internal sealed class AdminServer : IAsyncDisposable
{
    private static readonly TimeSpan s_eventPoll = TimeSpan.FromMilliseconds(250);

    private readonly WebApplication _app;
    private readonly ITimer _poll;

    private AdminServer(WebApplication app, ITimer poll)
    {
        _app = app;
        _poll = poll;
    }

    /// <summary>The address the port listens on (the real port when 0 was asked for).</summary>
    public IPEndPoint? BoundEndpoint { get; private set; }

    /// <summary>Starts listening; throws IOException when the address cannot be bound.</summary>
    public static async Task<AdminServer> StartAsync(IPEndPoint endpoint, ProxyContext context, ProxyMetrics metrics, MembershipEventLog events)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Listen(endpoint);
        });
        builder.Services.AddRoutingCore();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddProvider(new AdminHosting.ProxyLoggers(context.LoggerFactory));
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, AdminHosting.ProxyLifetime>();
        var app = builder.Build();
        var ring = new RingDescription(context, new NodeInfoReader(context.Time));
        app.Use(async (http, next) =>
        {
            // The dashboard loads only its own files; nothing may frame it.
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            http.Response.Headers.CacheControl = "no-store";
            await next(http);
        });
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        });
        app.MapGet("/healthz", () =>
        {
            var problem = RingHealth.Problem(context.Routing.Value);
            return problem is null
                ? Results.Text("ok\n", "text/plain; charset=utf-8")
                : Results.Text("unavailable: " + problem + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/api/ring", async () => Json(await ring.DescribeAsync()));
        app.MapGet("/api/stats", () => Json(Stats(context)));
        app.MapGet("/api/events", () =>
        {
            events.Observe(context.Routing.Value, context.RingSource.IsStatic);
            return Json(new JsonObject
            {
                ["total"] = events.Total,
                ["events"] = new JsonArray([.. events.Recent().Select(e => (JsonNode)new JsonObject
                {
                    ["at"] = e.At.ToUnixTimeMilliseconds(),
                    ["kind"] = e.Kind,
                    ["node"] = e.Node,
                    ["detail"] = e.Detail,
                })]),
            });
        });
        foreach (var file in DashboardFiles.Names)
        {
            app.MapGet("/" + file, () => DashboardFiles.Serve(file));
        }

        app.MapGet("/", () => DashboardFiles.Serve("dashboard.html"));
        // Browsers ask for it; an empty answer rather than a 404 in the page's console.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapFallback(() => Results.Text("not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));

        await app.StartAsync();
        var poll = context.Time.CreateTimer(_ => events.Observe(context.Routing.Value, context.RingSource.IsStatic), null, TimeSpan.Zero, s_eventPoll);
        var server = new AdminServer(app, poll);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        server.BoundEndpoint = addresses?.Select(a => new Uri(a)).Select(u => new IPEndPoint(IPAddress.Parse(u.Host.Trim('[', ']')), u.Port)).FirstOrDefault() ?? endpoint;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _poll.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8");

    /// <summary>The proxy-wide counters the dashboard turns into ops/s and mean latency.</summary>
    private static JsonObject Stats(ProxyContext context)
    {
        var stats = context.Stats;
        var durations = stats.RequestDurations;
        return new JsonObject
        {
            ["at"] = context.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["commandsProcessed"] = stats.CommandsProcessed,
            ["requests"] = durations?.Count ?? 0,
            ["requestSeconds"] = durations?.Sum ?? 0,
            ["connectedClients"] = stats.ConnectedClients,
            ["bytesReceived"] = stats.BytesReceived,
            ["bytesSent"] = stats.BytesSent,
            ["ringVersion"] = context.Routing.Value.Version,
        };
    }
}
