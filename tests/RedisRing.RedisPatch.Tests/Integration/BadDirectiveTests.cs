using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>Directives that cannot work: said in the log and INFO, and the server keeps serving.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class BadDirectiveTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "unreachable", "is not reachable" },
        { "wrong-password", "not allowed to read" },
        { "malformed", "malformed connect string" },
        { "no-cluster", "does not exist: create the cluster first" },
        { "bad-advertise", "is not host:port" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_directive_is_logged_and_shown_in_info_while_the_server_keeps_serving(string problem, string expected)
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        string[] arguments = problem switch
        {
            // A port nothing listens on.
            "unreachable" => ["--zookeeper-connect", $"127.0.0.1:{Testing.LoopbackPorts.GetFree()}", "--zookeeper-cluster", cluster.Layout.Cluster, "--zookeeper-auth", PatchCluster.ClusterAuth],
            "wrong-password" => cluster.Directives("--zookeeper-auth", "registrar:guess"),
            "malformed" => ["--zookeeper-connect", "127.0.0.1:not-a-port", "--zookeeper-cluster", cluster.Layout.Cluster],
            "no-cluster" => ["--zookeeper-connect", zk.Server.Endpoint, "--zookeeper-cluster", "never-created", "--zookeeper-auth", PatchCluster.ClusterAuth],
            _ => cluster.Directives("--zookeeper-advertise", "bad host:1"),
        };
        var redis = await cluster.StartPatchedWithAsync(null, arguments);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string error;
        while (!(error = (await redis.InfoAsync("zookeeper"))["zookeeper_last_error"]).Contains(expected, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"INFO zookeeper_last_error is '{error}', expected it to contain '{expected}'");
            await Task.Delay(50);
        }

        Assert.Contains("ZooKeeper: ", redis.ReadLog(), StringComparison.Ordinal);
        Assert.Contains(expected, redis.ReadLog(), StringComparison.Ordinal);
        Assert.Equal("0", (await redis.InfoAsync("zookeeper"))["zookeeper_live"]);
        Assert.Equal("+PONG", (await redis.CommandAsync("PING")).TrimEnd());
        Assert.Equal("+OK", (await redis.CommandAsync("SET", "k", "v")).TrimEnd());
        Assert.Equal("$1\r\nv", (await redis.CommandAsync("GET", "k")).TrimEnd());
        Assert.Empty((await cluster.Admin.GetChildrenAsync(cluster.Layout.Nodes)).Children);
        Assert.Empty((await cluster.Admin.GetChildrenAsync(cluster.Layout.Live)).Children);
    }
}
