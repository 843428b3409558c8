using System.Collections.Concurrent;
using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// ZooKeeper stopped with SIGSTOP (a long GC pause, a leader election) for longer than every
/// session timeout, under read and write load through two proxies: membership is not liveness,
/// so no node changes state and no client sees an error; a node that really restarted meanwhile
/// is caught by the proxies' own run_id check, and becomes joining once ZooKeeper is back.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperPauseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(8);

    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    [Fact]
    public async Task Eight_second_pause_of_a_standalone_ZooKeeper_under_load_costs_no_client_error_and_changes_no_node()
    {
        // A ZooKeeper of its own: this test stops it. Its sessions last at most 2 s (tick 100 ms).
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await RunPauseAsync(zookeeper.Endpoint, zookeeper);
    }

    [Fact]
    public async Task Registrars_keep_their_liveness_znodes_and_sessions_through_a_pause_shorter_than_their_session_timeout()
    {
        // Sessions of 15 s (tick 100 ms allows up to 30 s) outlast the 8 s pause: the server
        // expires none, and the clients keep offering theirs instead of giving up after a silence.
        // A session's last ping can precede the pause by a third of its timeout, so 12 s left
        // only the pause's own length (4 + 8 s) and a busy machine's delay in resuming failed it.
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await RunPauseAsync(zookeeper.Endpoint, zookeeper, ["--session-timeout-ms", "15000"], sameSessions: true);
    }

    [Fact]
    public async Task Eight_second_pause_of_the_ensemble_leader_under_load_costs_no_client_error_and_changes_no_node()
    {
        await using var ensemble = await ZooKeeperEnsemble.StartAsync(output);
        ZooKeeperServer? leader = null;
        foreach (var member in ensemble.Members)
        {
            if (await member.ModeAsync() == "leader")
            {
                leader = member;
            }
        }

        Assert.NotNull(leader);
        await RunPauseAsync(ensemble.ConnectString, leader);
    }

    [Fact]
    public async Task Node_restarted_empty_during_a_ZooKeeper_pause_is_read_by_no_proxy_and_becomes_joining_after_it()
    {
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zookeeper.Endpoint, output, 3);
        await using var _ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[i % 2].Port, "SET", "e" + i, "v" + i));
        }

        zookeeper.Signal("STOP");
        try
        {
            redis[0].Kill();
            await redis[0].StartAsync();
            Assert.Equal(":0\r\n", await RawRedis.CommandAsync(redis[0].Port, "DBSIZE"));

            // ZooKeeper cannot say anything now: the proxies' own connections see the new run_id.
            await Task.Delay(1000);
            foreach (var proxy in proxies)
            {
                for (var i = 0; i < 300; i++)
                {
                    Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "e" + i));
                }
            }
        }
        finally
        {
            zookeeper.Signal("CONT");
        }

        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        await cluster.WaitForNodeAsync(address, n => n?.State == NodeState.Joining, "the restarted node recorded as joining", TimeSpan.FromSeconds(30));
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(redis[0].Endpoint) == "joining", "joining in every proxy");
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "e" + i));
            }
        }
    }

    /// <summary>
    /// Three nodes, two proxies, four clients writing and reading back; <paramref name="paused"/>
    /// gets SIGSTOP for <see cref="Pause"/>. Asserts no failed command, every node up and readable
    /// in both proxies at every sample, and every member still up afterwards.
    /// </summary>
    private async Task RunPauseAsync(string connectString, ZooKeeperServer paused, string[]? registrarArguments = null, bool sameSessions = false)
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(connectString, output, 3, registrarArguments: registrarArguments);
        await using var _ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        var failures = new ConcurrentBag<string>();
        var notReadable = new ConcurrentBag<string>();
        long operations = 0;
        using var stop = new CancellationTokenSource();

        async Task Worker(int worker)
        {
            await using var connection = await RespConnection.ConnectAsync(proxies[worker % 2].Port);
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var key = $"z{worker}:{seq % 500}";
                var set = await connection.CommandAsync("SET", key, "v" + seq);
                var get = await connection.CommandAsync("GET", key);
                Interlocked.Add(ref operations, 2);
                if (set != "+OK\r\n" || get != Bulk("v" + seq))
                {
                    failures.Add($"{key}: SET {set.Trim()} GET {get.Trim()}");
                }
            }
        }

        async Task SampleRings()
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var proxy in proxies)
                {
                    var ring = await ZooKeeperRingCluster.RingOfAsync(proxy);
                    var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
                    if (ring is null || ring.Count != 3 || ring.Values.Any(s => s != "up") || !info.Contains("ring_readable_nodes:3", StringComparison.Ordinal))
                    {
                        notReadable.Add($"{proxy.Endpoint}: {string.Join(",", ring ?? new Dictionary<string, string>())}");
                    }
                }

                await Task.Delay(100);
            }
        }

        var owners = new Dictionary<RedisServer, long>();
        foreach (var server in redis)
        {
            owners[server] = (await cluster.Admin.ExistsAsync(cluster.Layout.Liveness(ZooKeeperRingCluster.AddressOf(server))))!.EphemeralOwner;
        }

        var load = Enumerable.Range(0, 4).Select(Worker).Append(SampleRings()).ToArray();
        await Task.Delay(1000);
        paused.Signal("STOP");
        await Task.Delay(Pause);
        paused.Signal("CONT");
        var resumed = Stopwatch.StartNew();

        // Sessions the server expired meanwhile come back as new ones: each registrar creates its
        // liveness znode again; the members are untouched.
        foreach (var server in redis)
        {
            await cluster.WaitForLiveAsync(ZooKeeperRingCluster.AddressOf(server), l => l is not null, "liveness after the pause", TimeSpan.FromSeconds(30));
        }

        output.WriteLine($"every node live again {resumed.ElapsedMilliseconds} ms after SIGCONT");
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"{operations} commands, {failures.Count} failures, {notReadable.Count} samples with a node not up or not readable");
        Assert.True(operations > 1000, $"only {operations} commands ran");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.True(notReadable.IsEmpty, string.Join("\n", notReadable.Take(20)));
        foreach (var server in redis)
        {
            Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(ZooKeeperRingCluster.AddressOf(server)))!.State);
            if (sameSessions)
            {
                var live = await cluster.Admin.ExistsAsync(cluster.Layout.Liveness(ZooKeeperRingCluster.AddressOf(server)));
                Assert.Equal(owners[server], live?.EphemeralOwner);
            }
        }
    }
}
