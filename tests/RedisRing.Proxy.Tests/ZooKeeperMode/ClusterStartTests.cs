using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// A brand-new cluster is served only once every initial node registered: before that, writes
/// could miss nodes that enter <c>up</c> later.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ClusterStartTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Proxy_refuses_data_commands_until_every_initial_node_registered_in_random_order_and_delays()
    {
        var ports = Enumerable.Range(0, 3).Select(_ => LoopbackPorts.GetFree()).ToArray();
        var addresses = ports.Select(p => new NodeAddress("127.0.0.1", p)).ToArray();
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server.Endpoint, output, addresses);
        var redis = new List<RedisServer>();
        foreach (var port in ports)
        {
            redis.Add(await cluster.StartRedisAsync(port));
        }

        // The proxy comes first, as in a deployment where everything starts at once.
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "the three initial members");
        var refused = await RawRedis.CommandAsync(proxy.Port, "SET", "early", "1");
        Assert.StartsWith("-CLUSTERDOWN cluster is starting: waiting for the first registration of", refused, StringComparison.Ordinal);
        Assert.Contains("ring_waiting_for:" + string.Join(" ", addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)),
            await RawRedis.CommandAsync(proxy.Port, "INFO", "ring"), StringComparison.Ordinal);
        Assert.Equal("+PONG\r\n", await RawRedis.CommandAsync(proxy.Port, "PING"));

        var random = new Random(7);
        var order = redis.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            await Task.Delay(random.Next(0, 800));
            cluster.StartRegistrar(order[i]);
            await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(order[i]), n => n?.RunId.Length > 0, "first registration");
            if (i < order.Count - 1)
            {
                await Task.Delay(300); // past the proxy's debounce
                var reply = await RawRedis.CommandAsync(proxy.Port, "GET", "early");
                Assert.StartsWith("-CLUSTERDOWN cluster is starting", reply, StringComparison.Ordinal);
                Assert.DoesNotContain(ZooKeeperRingCluster.AddressOf(order[i]).ToString(), reply, StringComparison.Ordinal);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string last;
        while ((last = await RawRedis.CommandAsync(proxy.Port, "SET", "k", "v")) != "+OK\r\n" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("+OK\r\n", last);
        Assert.Contains("ring_waiting_for:\r\n", await RawRedis.CommandAsync(proxy.Port, "INFO", "ring"), StringComparison.Ordinal);
        foreach (var address in addresses)
        {
            Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(address))!.State);
        }
    }
}
