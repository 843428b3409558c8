using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Admin;

/// <summary>
/// The registrar's admin HTTP port (<c>--admin-listen</c>, docs/metrics.md), on Kestrel as the
/// proxy's: <c>/metrics</c> (Prometheus text: the redis-server's health checks, the ZooKeeper
/// session, whether the node's liveness is held, process figures) and <c>/healthz</c> (200 when
/// the last check found Redis healthy, the ZooKeeper session is connected and the liveness znode
/// held; 503 and why otherwise).
/// </summary>
internal sealed class RegistrarAdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistrarAdminServer(WebApplication app) => _app = app;

    public static async Task<RegistrarAdminServer> StartAsync(IPEndPoint endpoint, RegistrarStatus status, ZooKeeperClient zooKeeper, ILoggerFactory loggerFactory)
    {
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var healthy = factory.CreateGauge("redisring_registrar_redis_healthy", "1 when the last check found the redis-server healthy.");
        var keys = factory.CreateGauge("redisring_registrar_redis_keys", "Keys the redis-server reported at the last check.");
        var checks = factory.CreateCounter("redisring_registrar_checks_total", "Health checks of the redis-server.");
        var failures = factory.CreateCounter("redisring_registrar_check_failures_total", "Health checks that found the redis-server unhealthy.");
        var checkSeconds = factory.CreateCounter("redisring_registrar_check_seconds_total", "Time spent in health checks.");
        var checkedAt = factory.CreateGauge("redisring_registrar_last_check_timestamp_seconds", "When the last check ended (Unix time).");
        var registered = factory.CreateGauge("redisring_registrar_registered", "1 while the registrar holds the node's liveness znode.");
        var connected = factory.CreateGauge("redisring_registrar_zookeeper_connected", "1 while the ZooKeeper session is connected.");
        var state = factory.CreateGauge("redisring_registrar_zookeeper_state", "1 for the ZooKeeper session's current state.", ["state"]);
        registry.AddBeforeCollectCallback(() =>
        {
            var snapshot = status.Read();
            healthy.Set(snapshot.Last?.Healthy == true ? 1 : 0);
            keys.Set(snapshot.Last?.Keys ?? 0);
            checks.IncTo(snapshot.Checks);
            failures.IncTo(snapshot.Failures);
            checkSeconds.IncTo(snapshot.CheckSeconds);
            checkedAt.Set(snapshot.CheckedAt.ToUnixTimeMilliseconds() / 1000.0);
            registered.Set(snapshot.Registered ? 1 : 0);
            connected.Set(zooKeeper.State == ZooKeeperState.Connected ? 1 : 0);
            foreach (var value in Enum.GetValues<ZooKeeperState>())
            {
                state.WithLabels(value.ToString().ToLowerInvariant()).Set(zooKeeper.State == value ? 1 : 0);
            }
        });

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Listen(endpoint);
        });
        builder.Services.AddRoutingCore();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddProvider(new ForwardedLoggers(loggerFactory));
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        });
        app.MapGet("/healthz", () =>
        {
            var problem = Problem(status.Read(), zooKeeper.State);
            return problem is null
                ? Results.Text("ok\n", "text/plain; charset=utf-8")
                : Results.Text("unavailable: " + problem + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapFallback(() => Results.Text("not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        await app.StartAsync();
        return new RegistrarAdminServer(app);
    }

    /// <summary>Why the registrar is not doing its job, or null when it is.</summary>
    public static string? Problem(RegistrarStatus.Snapshot snapshot, ZooKeeperState zooKeeper) =>
        snapshot.Last is null ? "no health check yet"
        : !snapshot.Last.Healthy ? "redis-server unhealthy: " + snapshot.Last.Reason
        : zooKeeper != ZooKeeperState.Connected ? "ZooKeeper session " + zooKeeper.ToString().ToLowerInvariant()
        : !snapshot.Registered ? "liveness znode not held"
        : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>ASP.NET Core's messages go to the registrar's loggers (warnings up).</summary>
    private sealed class ForwardedLoggers(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
            // The registrar owns the factory.
        }
    }

    /// <summary>SIGINT and SIGTERM stay the registrar's (it leaves or drains on them), not the web host's.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
