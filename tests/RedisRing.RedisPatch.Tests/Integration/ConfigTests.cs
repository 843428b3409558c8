using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>The directives as CONFIG GET, INFO and the log show them: the password never.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ConfigTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private const string Password = "cluster-secret";

    [Fact]
    public async Task Config_get_shows_every_directive_with_the_credential_redacted()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-weight", "5", "--zookeeper-session-timeout", "3000");
        await cluster.WaitForLiveAsync(redis.Port, await RegistrationTests.RunIdAsync(redis), "liveness");

        var config = await redis.CommandAsync("CONFIG", "GET", "zookeeper-*");
        Assert.Contains(zk.Server.Endpoint, config, StringComparison.Ordinal);
        Assert.Contains(cluster.Layout.Cluster, config, StringComparison.Ordinal);
        Assert.Contains("registrar:***", config, StringComparison.Ordinal);
        Assert.Contains("zookeeper-weight\r\n$1\r\n5", config, StringComparison.Ordinal);
        Assert.Contains("zookeeper-session-timeout\r\n$4\r\n3000", config, StringComparison.Ordinal);
        Assert.Contains("zookeeper-advertise", config, StringComparison.Ordinal);
        Assert.Contains("zookeeper-on-stop\r\n$4\r\ndown", config, StringComparison.Ordinal);

        var info = await redis.CommandAsync("INFO", "zookeeper");
        Assert.Contains("zookeeper_auth:registrar:***", info, StringComparison.Ordinal);
        Assert.Contains("zookeeper_weight:5", info, StringComparison.Ordinal);
        Assert.Contains("zookeeper_on_stop:down", info, StringComparison.Ordinal);

        // Setting another directive along with the redacted credential (what a tool copying
        // CONFIG GET output would do) keeps the real credential: the server registers again.
        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-auth", "registrar:***", "zookeeper-weight", "6")).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n?.Weight == 6, "member rewritten with weight 6");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_live", "1");

        // zookeeper-on-stop only says what SHUTDOWN will do: setting it does not register again.
        var session = (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"];
        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-on-stop", "leave")).TrimEnd());
        Assert.Equal("leave", (await redis.InfoAsync("zookeeper"))["zookeeper_on_stop"]);
        Assert.Equal(session, (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"]);

        Assert.DoesNotContain(Password, config, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await redis.CommandAsync("INFO", "everything"), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, redis.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_set_rejects_a_credential_without_user_and_password_a_weight_out_of_range_and_an_unknown_on_stop()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedWithAsync();
        Assert.StartsWith("-ERR", await redis.CommandAsync("CONFIG", "SET", "zookeeper-auth", "no-colon"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await redis.CommandAsync("CONFIG", "SET", "zookeeper-weight", "1001"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await redis.CommandAsync("CONFIG", "SET", "zookeeper-on-stop", "vanish"), StringComparison.Ordinal);
    }
}
