using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Cluster;

/// <summary>
/// The proxy up but every node behind it down: the proxy still answers PING itself and answers
/// keyed commands with -CLUSTERDOWN. The service must call that "store unavailable" (503), not
/// a bug (500), and its health check must see it.
/// </summary>
public sealed class StoreDownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_every_node_behind_the_proxy_down_challenge_and_siteverify_answer_503_and_health_is_unhealthy()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var host = await CaptchaHost.StartAsync(cluster.ProxyEndpoint);
        var client = new CaptchaClient(host.Http, async key => RawReply.BulkString(await RawRedis.CommandAsync(cluster.ProxyPort, "GET", key)));
        var token = await client.SolveAsync(TestSites.Main);
        using (var healthy = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        foreach (var node in cluster.Nodes)
        {
            node.Kill();
        }

        // The proxy itself still answers: this is not a connection failure.
        Assert.StartsWith("+PONG", await RawRedis.CommandAsync(cluster.ProxyPort, "PING"), StringComparison.Ordinal);

        using var challenge = await host.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, challenge.StatusCode);
        Assert.Equal("store-unavailable", (await challenge.Content.ReadFromJsonAsync<ApiError>())!.Error);

        var (status, body) = await client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("store-unavailable", body.GetProperty("error-codes")[0].GetString());

        using var health = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var report = (await health.Content.ReadFromJsonAsync<HealthResponse>())!;
        Assert.Equal(("unhealthy", "unreachable"), (report.Status, report.Redis));
    }
}
