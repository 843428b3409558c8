using System.Diagnostics;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>Pub/sub subscriptions follow the ring: a node that joins gets the proxy's subscriptions to the channels it will own.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class PubSubRingChangeTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_joining_node_is_subscribed_before_its_promotion_and_its_channels_messages_arrive_once_after()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");

        var joining = await cluster.StartRedisAsync();
        var full = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port)), RingNode.FromEndpoint("127.0.0.1", joining.Port)], new RingOptions { Replicas = 2 });
        var channels = VariedKeys.Placed(full, "ch", seed: 11, r => r.Primary == 3, 5);
        Assert.Equal(5, channels.Count);

        await using var subscriber = await RespConnection.ConnectAsync(proxy.Port);
        await subscriber.SendAsync(["SUBSCRIBE", .. channels]);
        foreach (var channel in channels)
        {
            Assert.EndsWith($"${channel.Length}\r\n{channel}\r\n:{channels.IndexOf(channel) + 1}\r\n", await subscriber.ReadReplyAsync(), StringComparison.Ordinal);
        }

        var address = ZooKeeperRingCluster.AddressOf(joining);
        cluster.StartRegistrar(joining);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(address.ToString()) == "joining", "the new node joining");

        // While it joins it takes writes, and the proxy subscribes its future channels on it.
        var stopwatch = Stopwatch.StartNew();
        foreach (var channel in channels)
        {
            while (await joining.CommandAsync("PUBSUB", "NUMSUB", channel) != $"*2\r\n${channel.Length}\r\n{channel}\r\n:1\r\n")
            {
                Assert.True(stopwatch.Elapsed < s_wait, "the joining node was not subscribed to " + channel);
                await Task.Delay(50);
            }
        }

        await cluster.PromoteAsync(address);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(address.ToString()) == "up", "promotion");
        await using var publisher = await RespConnection.ConnectAsync(proxy.Port);
        foreach (var channel in channels)
        {
            Assert.Equal(":1\r\n", await publisher.CommandAsync("PUBLISH", channel, "to " + channel));
        }

        // The new primary ran them, and each arrived once.
        Assert.Contains("cmdstat_publish:calls=5,", await joining.CommandAsync("INFO", "commandstats"), StringComparison.Ordinal);
        foreach (var channel in channels)
        {
            var payload = "to " + channel;
            Assert.Equal($"*3\r\n$7\r\nmessage\r\n${channel.Length}\r\n{channel}\r\n${payload.Length}\r\n{payload}\r\n", await subscriber.ReadReplyAsync());
        }

        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", await subscriber.CommandAsync("PING"));
    }
}
