using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Cluster;

/// <summary>
/// The proxy keeps two copies of every key on three nodes, so losing one node (kill -9, no
/// goodbye) must lose no challenge and no pass token, whichever node held which.
/// </summary>
public sealed class NodeKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_kill_9_of_one_redis_node_during_a_run_of_flows_loses_no_challenge_or_token()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var host = await CaptchaHost.StartAsync(cluster.ProxyEndpoint);
        var client = new CaptchaClient(host.Http, async key => RawReply.BulkString(await RawRedis.CommandAsync(cluster.ProxyPort, "GET", key)));
        var secret = TestSites.SecretOf(TestSites.Main);

        // Before the kill: open challenges, and tokens not yet redeemed.
        var open = new List<(string Id, double X)>();
        for (var i = 0; i < 24; i++)
        {
            var challenge = await client.IssueAsync(TestSites.Main);
            open.Add((challenge.ChallengeId, await client.SecretXAsync(challenge.ChallengeId)));
        }

        var tokens = new List<string>();
        await Task.Delay(350);
        foreach (var (id, x) in open.Take(12))
        {
            var result = await client.VerifyAsync(id, x, Tracks.Human(x));
            Assert.True(result.Success, result.Error);
            tokens.Add(result.Token!);
        }

        // During the kill: whole flows keep running while node 0 dies.
        using var stop = new CancellationTokenSource();
        var running = Enumerable.Range(0, 4).Select(worker => RunFlowsAsync(client, secret, worker, stop.Token)).ToList();
        await Task.Delay(800);
        cluster.Nodes[0].Kill();
        output.WriteLine("killed node 0 (" + cluster.Nodes[0].Endpoint + ")");
        await Task.Delay(1500);
        await stop.CancelAsync();
        var flows = (await Task.WhenAll(running)).Sum();
        output.WriteLine($"{flows} whole flows completed around the kill");
        Assert.True(flows > 0);

        // After the kill: every challenge and token from before is still there, exactly once.
        foreach (var (id, x) in open.Skip(12))
        {
            using var response = await client.PostVerifyAsync(id, x, Tracks.Human(x));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = await response.Content.ReadFromJsonAsync<VerifyResponse>();
            Assert.True(result!.Success, result.Error);
            tokens.Add(result.Token!);
        }

        foreach (var token in tokens)
        {
            var (_, body) = await client.SiteVerifyAsync(secret, token);
            Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
            var (_, again) = await client.SiteVerifyAsync(secret, token);
            Assert.False(again.GetProperty("success").GetBoolean());
        }
    }

    /// <summary>Issue, solve and redeem until told to stop; every step of a started flow must succeed.</summary>
    private static async Task<int> RunFlowsAsync(CaptchaClient client, string secret, int worker, CancellationToken stop)
    {
        var completed = 0;
        while (!stop.IsCancellationRequested)
        {
            var token = await client.SolveAsync(TestSites.Main, seed: worker);
            var (_, body) = await client.SiteVerifyAsync(secret, token);
            Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
            completed++;
        }

        return completed;
    }
}
