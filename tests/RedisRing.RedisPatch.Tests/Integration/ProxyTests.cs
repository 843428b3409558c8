using System.Diagnostics;
using System.Globalization;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>
/// Patched servers behind a real redisring-proxy in ZooKeeper mode: the proxy cannot tell them
/// from registrar-managed stock servers. A node is readable when its member is <c>up</c> and its
/// liveness znode exists; a stopped one keeps its place, and reads fall over to the other copy.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ProxyTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    private static async Task<PatchedRedisServer> StartPatchedAsync(ZooKeeperRingCluster cluster, ITestOutputHelper output, int port, int sessionTimeoutMs) =>
        cluster.Own(await PatchedRedisServer.StartAsync(output,
        [
            "--zookeeper-connect", cluster.ZooKeeper, "--zookeeper-cluster", cluster.Layout.Cluster,
            "--zookeeper-auth", ZooKeeperRingCluster.ClusterAuth, "--zookeeper-session-timeout", sessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
        ], port));

    /// <summary>One field of the proxy's INFO ring ("" when absent).</summary>
    private static async Task<string> RingInfoAsync(ProxyProcess proxy, string field)
    {
        var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? "" : line[(field.Length + 1)..];
    }

    /// <summary>Polls the proxy's INFO ring field until <paramref name="condition"/> holds; returns how long that took.</summary>
    private static async Task<TimeSpan> WaitForRingInfoAsync(ProxyProcess proxy, string field, Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var last = "";
        while (watch.Elapsed < limit)
        {
            last = await RingInfoAsync(proxy, field);
            if (condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"proxy {proxy.Endpoint}: {what} did not happen within {limit}; {field}: '{last}'");
    }

    /// <summary>The addresses <c>members_not_live</c> lists ("a:1=3s b:2=0s").</summary>
    private static bool NotLive(string membersNotLive, string address) =>
        membersNotLive.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(e => e.StartsWith(address + "=", StringComparison.Ordinal));

    /// <summary>The proxy's own view of each backend (INFO ring's <c>state=</c>: up, down, catching_up, needs_repair), by address.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> BackendStatesAsync(ProxyProcess proxy)
    {
        var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split("\r\n").Where(l => l.StartsWith("node", StringComparison.Ordinal) && l.Contains("address=", StringComparison.Ordinal)))
        {
            var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
                .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            states[fields["address"]] = fields["state"];
        }

        return states;
    }

    /// <summary>
    /// Waits until the proxy serves the cluster with every named node readable: member <c>up</c>
    /// (registered: the cluster is not starting any more), live, and connected from the proxy
    /// with the member's run_id (writes it missed while connecting replayed), so a write
    /// through the proxy reaches both copies before it is acknowledged.
    /// </summary>
    private static async Task WaitForReadableAsync(ProxyProcess proxy, IReadOnlyCollection<string> names)
    {
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == names.Count && names.All(n => r.GetValueOrDefault(n) == "up"), "every node up");
        await WaitForRingInfoAsync(proxy, "ring_waiting_for", w => w.Length == 0, "every initial node registered");
        await WaitForRingInfoAsync(proxy, "members_live", l => l == names.Count.ToString(CultureInfo.InvariantCulture), "every node live");
        await WaitForBackendsUpAsync(proxy, names);
    }

    /// <summary>Waits until the proxy's own connection to each named node is up (connected, same run_id, caught up).</summary>
    private static async Task WaitForBackendsUpAsync(ProxyProcess proxy, IReadOnlyCollection<string> names)
    {
        foreach (var name in names)
        {
            await WaitForBackendStateAsync(proxy, name, "up");
        }
    }

    private static async Task WaitForBackendStateAsync(ProxyProcess proxy, string name, string state)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var states = await BackendStatesAsync(proxy);
            if (states.GetValueOrDefault(name) == state)
            {
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the proxy's backend {name} did not become {state}: {string.Join(", ", states.Select(p => p.Key + "=" + p.Value))}");
            await Task.Delay(20);
        }
    }

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

    private static async Task GetThroughAsync(ProxyProcess proxy, string prefix)
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", prefix + i));
        }
    }

    [Fact]
    public async Task Two_patched_servers_keep_their_places_in_the_proxys_ring_through_shutdown_and_kill_and_a_restarted_one_returns_joining()
    {
        int[] ports = [LoopbackPorts.GetFree(), LoopbackPorts.GetFree()];
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server.Endpoint, output, ports.Select(PatchCluster.AddressOf).ToList());
        // The first one's session outlives the test: only SHUTDOWN's delete can end its liveness quickly.
        var first = await StartPatchedAsync(cluster, output, ports[0], 30_000);
        var second = await StartPatchedAsync(cluster, output, ports[1], 2_000);
        var proxy = await cluster.StartProxyAsync();
        string[] names = [.. ports.Select(p => $"127.0.0.1:{p}")];
        await WaitForReadableAsync(proxy, names);
        await SetAndGetThroughAsync(proxy, ports, "a");

        // SHUTDOWN deletes the liveness znode only: the member stays up, keys keep their owners,
        // and reads fall over to the other copy.
        var watch = Stopwatch.StartNew();
        await first.ShutdownAsync();
        await WaitForRingInfoAsync(proxy, "members_not_live", n => NotLive(n, names[0]), "the shut down server not live", TimeSpan.FromSeconds(15));
        output.WriteLine($"SHUTDOWN to not live in the proxy's view: {watch.ElapsedMilliseconds} ms (session timeout 30000 ms)");
        Assert.Equal("up", (await ZooKeeperRingCluster.RingOfAsync(proxy))!.GetValueOrDefault(names[0]));
        await GetThroughAsync(proxy, "a");

        watch.Restart();
        second.Kill();
        await WaitForRingInfoAsync(proxy, "members_not_live", n => NotLive(n, names[1]), "the killed server not live at session timeout");
        output.WriteLine($"kill -9 to not live in the proxy's view: {watch.ElapsedMilliseconds} ms (session timeout 2000 ms)");
        var ring = (await ZooKeeperRingCluster.RingOfAsync(proxy))!;
        Assert.Equal(2, ring.Count);
        Assert.All(names, n => Assert.Equal("up", ring.GetValueOrDefault(n)));

        // A new process is a new run_id: its data may lack writes, so it returns joining.
        await second.StartAsync();
        var runId = await RegistrationTests.RunIdAsync(second);
        var secondAddress = PatchCluster.AddressOf(ports[1]);
        await cluster.WaitForNodeAsync(secondAddress, n => n?.RunId == runId, "the restarted server's member");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(secondAddress))!.State);
        await cluster.WaitForLiveAsync(secondAddress, l => l?.RunId == runId, "the restarted server live");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(names[1]) == "joining", "the restarted server returning joining");

        // The proxy's own connection reaches the new process (it takes writes, serves no reads
        // while its member is joining); the promotion is for that run_id, which the proxy trusts.
        var watch2 = Stopwatch.StartNew();
        while (!(await RawRedis.CommandAsync(proxy.Port, "INFO", "ring")).Split("\r\n").Any(l =>
                   l.Contains($"address={names[1]},", StringComparison.Ordinal) && l.Contains(",membership=joining,", StringComparison.Ordinal) && l.Contains($",run_id={runId},", StringComparison.Ordinal)))
        {
            Assert.True(watch2.Elapsed < TimeSpan.FromSeconds(30), "the proxy never connected to the restarted server");
            await Task.Delay(20);
        }

        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(secondAddress))!.State);
        await cluster.PromoteAsync(secondAddress);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(names[1]) == "up", "promotion");
        await WaitForBackendsUpAsync(proxy, [names[1]]);
        Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "back", "again"));
        Assert.Equal(Bulk("again"), await RawRedis.CommandAsync(proxy.Port, "GET", "back"));
        Assert.Equal(Bulk("again"), await RawRedis.CommandAsync(ports[1], "GET", "back"));
    }

    [Fact]
    public async Task Ring_of_a_patched_server_and_a_registrar_managed_stock_server_works_through_the_proxy()
    {
        var patchedPort = LoopbackPorts.GetFree();
        var stock = await RedisServer.StartAsync(output);
        NodeAddress[] initial = [PatchCluster.AddressOf(patchedPort), ZooKeeperRingCluster.AddressOf(stock)];
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server.Endpoint, output, initial);
        cluster.Own(stock);
        var proxy = await cluster.StartProxyAsync();

        // No node has registered yet: the cluster is starting, and the proxy says so.
        await WaitForRingInfoAsync(proxy, "ring_waiting_for", w => w.Split(' ').Length == 2, "both initial nodes awaited");
        Assert.StartsWith("-CLUSTERDOWN cluster is starting", await RawRedis.CommandAsync(proxy.Port, "GET", "early"), StringComparison.Ordinal);

        cluster.StartRegistrar(stock);
        var patched = await StartPatchedAsync(cluster, output, patchedPort, 4_000);
        await WaitForReadableAsync(proxy, [.. initial.Select(a => a.ToString())]);
        // Both initial nodes were empty: their first registrations kept them up with their run_ids.
        foreach (var (address, runId) in new[] { (initial[0], await RegistrationTests.RunIdAsync(patched)), (initial[1], (await InfoServerAsync(stock))["run_id"]) })
        {
            var member = (await cluster.ReadNodeAsync(address))!;
            Assert.Equal(new NodeRecord(address, 1, NodeState.Up, runId, MemberStep.FirstRegistration), member);
        }

        await SetAndGetThroughAsync(proxy, [patchedPort, stock.Port], "m");
    }

    private static async Task<IReadOnlyDictionary<string, string>> InfoServerAsync(RedisServer redis) =>
        (await redis.CommandAsync("INFO", "server")).Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
