using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>
/// Patched servers behind a real redisring-proxy in ZooKeeper mode: the proxy cannot tell them
/// from registrar-managed stock servers.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ProxyTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    private static async Task<PatchedRedisServer> StartPatchedAsync(ZooKeeperRingCluster cluster, ITestOutputHelper output, int port, int sessionTimeoutMs) =>
        cluster.Own(await PatchedRedisServer.StartAsync(output,
        [
            "--zookeeper-connect", cluster.ZooKeeper, "--zookeeper-cluster", cluster.Layout.Cluster,
            "--zookeeper-auth", ZooKeeperRingCluster.ClusterAuth, "--zookeeper-session-timeout", sessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], port));

    private static async Task SetAndGetThroughAsync(ProxyProcess proxy, IEnumerable<int> copyPorts, string prefix)
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", prefix + i, "v" + i));
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", prefix + i));
            // Two copies on a two-node ring: both servers hold every key.
            foreach (var port in copyPorts)
            {
                Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(port, "GET", prefix + i));
            }
        }
    }

    [Fact]
    public async Task Two_patched_servers_appear_in_the_proxys_ring_leave_on_shutdown_and_kill_and_return_joining()
    {
        int[] ports = [LoopbackPorts.GetFree(), LoopbackPorts.GetFree()];
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server.Endpoint, output, ports.Select(PatchCluster.AddressOf).ToList());
        // The first one's session outlives the test: only SHUTDOWN's delete can remove it quickly.
        var first = await StartPatchedAsync(cluster, output, ports[0], 30_000);
        var second = await StartPatchedAsync(cluster, output, ports[1], 2_000);
        var proxy = await cluster.StartProxyAsync();
        string[] names = [.. ports.Select(p => $"127.0.0.1:{p}")];
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 2 && names.All(n => r.GetValueOrDefault(n) == "up"), "both patched servers up");
        await SetAndGetThroughAsync(proxy, ports, "a");

        var watch = Stopwatch.StartNew();
        await first.ShutdownAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => !r.ContainsKey(names[0]), "the shut down server leaving", TimeSpan.FromSeconds(15));
        output.WriteLine($"SHUTDOWN to out of the proxy's ring: {watch.ElapsedMilliseconds} ms (session timeout 30000 ms)");

        watch.Restart();
        second.Kill();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 0, "the killed server leaving at session timeout");
        output.WriteLine($"kill -9 to out of the proxy's ring: {watch.ElapsedMilliseconds} ms (session timeout 2000 ms)");

        await second.StartAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(names[1]) == "joining", "the restarted server returning joining");
        await cluster.PromoteAsync(PatchCluster.AddressOf(ports[1]));
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(names[1]) == "up", "promotion");
        Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "back", "again"));
        Assert.Equal(Bulk("again"), await RawRedis.CommandAsync(proxy.Port, "GET", "back"));
    }

    [Fact]
    public async Task Ring_of_a_patched_server_and_a_registrar_managed_stock_server_works_through_the_proxy()
    {
        var patchedPort = LoopbackPorts.GetFree();
        var stock = await RedisServer.StartAsync(output);
        NodeAddress[] initial = [PatchCluster.AddressOf(patchedPort), ZooKeeperRingCluster.AddressOf(stock)];
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server.Endpoint, output, initial);
        cluster.Own(stock);
        cluster.StartRegistrar(stock);
        await StartPatchedAsync(cluster, output, patchedPort, 4_000);
        var proxy = await cluster.StartProxyAsync();

        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 2 && r.Values.All(s => s == "up"), "both servers up");
        await SetAndGetThroughAsync(proxy, [patchedPort, stock.Port], "m");
    }
}
