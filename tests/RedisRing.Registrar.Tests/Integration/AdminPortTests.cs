using System.Globalization;
using System.Net;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>The registrar's admin port: /metrics follows the redis-server's health and the ZooKeeper session, /healthz turns 503 when Redis dies.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class AdminPortTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Metrics_and_healthz_follow_the_redis_server_and_the_ZooKeeper_session()
    {
        await using var redis = await RedisServer.StartAsync(output);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output, ZooKeeperRingCluster.AddressOf(redis));
        var port = LoopbackPorts.GetFree();
        cluster.StartRegistrar(redis, "--admin-listen", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(10) };

        var healthy = await PollAsync(async () => (await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK);
        Assert.True(healthy, "healthz never answered 200 with Redis up and registered");
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("redisring_registrar_redis_healthy 1", metrics, StringComparison.Ordinal);
        Assert.Contains("redisring_registrar_zookeeper_connected 1", metrics, StringComparison.Ordinal);
        Assert.Contains("redisring_registrar_registered 1", metrics, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", metrics, StringComparison.Ordinal);
        Assert.All(metrics.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')),
            l => Assert.Matches("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+(Inf)?$""", l));

        redis.Kill();
        var down = await PollAsync(async () => (await http.GetAsync("healthz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.True(down, "healthz stayed 200 after the redis-server was killed");
        using var response = await http.GetAsync("healthz");
        Assert.Contains("redis-server unhealthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("redisring_registrar_redis_healthy 0", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    /// <summary>Retries <paramref name="condition"/> (connection errors count as false) for at most the limit.</summary>
    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + s_limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }
}
