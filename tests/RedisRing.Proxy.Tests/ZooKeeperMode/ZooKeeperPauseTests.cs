using System.Collections.Concurrent;
using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// ZooKeeper stopped with SIGSTOP (a long GC pause, a leader election) for longer than every
/// session timeout, under read and write load: membership is not liveness, so no node changes
/// state and no client sees an error.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperPauseTests(ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    [Fact]
    public async Task Eight_second_ZooKeeper_pause_under_load_costs_no_client_error_and_changes_no_node()
    {
        // A ZooKeeper of its own: this test stops it. Its sessions last at most 2 s (tick 100 ms).
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zookeeper.Endpoint, output, 3);
        await using var _ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        var failures = new ConcurrentBag<string>();
        var unreadable = new ConcurrentBag<string>();
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

        async Task WatchReadableNodes()
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var proxy in proxies)
                {
                    var ring = await ZooKeeperRingCluster.RingOfAsync(proxy);
                    var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
                    if (ring is null || ring.Count != 3 || ring.Values.Any(s => s != "up") || !info.Contains("ring_readable_nodes:3", StringComparison.Ordinal))
                    {
                        unreadable.Add($"{proxy.Endpoint}: {string.Join(",", ring ?? new Dictionary<string, string>())}");
                    }
                }

                await Task.Delay(100);
            }
        }

        var load = Enumerable.Range(0, 4).Select(Worker).Append(WatchReadableNodes()).ToArray();
        await Task.Delay(1000);
        zookeeper.Signal("STOP");
        await Task.Delay(TimeSpan.FromSeconds(8));
        zookeeper.Signal("CONT");
        var resumed = Stopwatch.StartNew();

        // The registrars' sessions were likely expired by the server on its return: each creates
        // its liveness znode again, and the members are untouched.
        foreach (var server in redis)
        {
            await cluster.WaitForLiveAsync(ZooKeeperRingCluster.AddressOf(server), l => l is not null, "liveness after the pause", TimeSpan.FromSeconds(30));
        }

        output.WriteLine($"every node live again {resumed.ElapsedMilliseconds} ms after SIGCONT");
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"{operations} commands, {failures.Count} failures, {unreadable.Count} samples with a node not up or not readable");
        Assert.True(operations > 1000, $"only {operations} commands ran");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.True(unreadable.IsEmpty, string.Join("\n", unreadable.Take(20)));
        foreach (var server in redis)
        {
            Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(ZooKeeperRingCluster.AddressOf(server)))!.State);
        }
    }
}
