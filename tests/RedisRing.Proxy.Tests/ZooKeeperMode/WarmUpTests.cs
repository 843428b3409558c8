using System.Collections.Concurrent;
using RedisRing.Membership;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// Warm-up and automatic promotion against real servers (docs/consistency.md, "Warm-up"): a node
/// restarted empty under load is filled from the other copies and promoted by the repairer (one
/// of the proxies), after which losing another node loses nothing; writers doing SET, DEL, INCR,
/// APPEND and EXPIRE through two proxies during the copy leave the warmed node equal to its
/// copies, with no write lost or applied twice and no deleted key back.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class WarmUpTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    [Fact]
    public async Task Node_restarted_empty_under_load_is_warmed_up_and_promoted_then_killing_another_node_loses_no_acknowledged_write()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        const int Keys = 3000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[i % 2].Port, "SET", "k" + i, "v" + i));
        }

        // Load through both proxies for the whole test: reads of the preloaded keys must never
        // miss or fail, and every acknowledged write must be readable at the end.
        using var stopLoad = new CancellationTokenSource();
        var acknowledged = new ConcurrentDictionary<string, string>();
        long reads = 0, misses = 0, errors = 0;
        var problems = new ConcurrentQueue<string>();
        var load = Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var n = 0;
            while (!stopLoad.IsCancellationRequested)
            {
                var key = "k" + random.Next(Keys);
                var reply = await RawRedis.CommandAsync(proxies[p].Port, "GET", key);
                Interlocked.Increment(ref reads);
                if (reply != Bulk("v" + key[1..]))
                {
                    Interlocked.Increment(ref (reply.StartsWith('-') ? ref errors : ref misses));
                    problems.Enqueue($"GET {key} via proxy {p}: {reply.Trim()}");
                }

                var written = $"w{p}-{n++ % 500}";
                var value = "x" + n;
                if (await RawRedis.CommandAsync(proxies[p].Port, "SET", written, value) == "+OK\r\n")
                {
                    acknowledged[written] = value;
                }
            }
        })).ToArray();

        await Task.Delay(300);
        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Joining }, "the restarted node joining");
        // The operator's view: a live progress display that ends when the warm-up is complete.
        var environment = new Dictionary<string, string> { ["REDISRING_ZK_AUTH"] = ZooKeeperRingCluster.ClusterAuth };
        var follow = RegistrarProcess.RunCommandAsync(["repair-status", "--zookeeper", zk.Server.Endpoint, "--cluster", cluster.Layout.Cluster, "--follow", "--timeout-s", "90"], environment);
        var took = await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up } && n.Reason.Contains("warmed up", StringComparison.Ordinal),
            "automatic promotion after the warm-up", TimeSpan.FromSeconds(60));
        output.WriteLine($"promoted after {took.TotalSeconds:F1} s: {await cluster.ReadNodeAsync(address)}");
        var (followCode, followText) = await follow.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine(followText);
        Assert.True(followCode == 0, followText);
        Assert.Contains($"{address} done", followText, StringComparison.Ordinal);
        Assert.Contains("every warm-up is complete", followText, StringComparison.Ordinal);
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Values.All(s => s == "up"), "the promoted node up in every proxy");
        }

        var held = long.Parse((await redis[0].CommandAsync("DBSIZE")).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"the warmed-up node holds {held} keys");
        Assert.True(held > Keys / 2, $"the warmed-up node holds only {held} keys");

        // Every key now has two complete copies again: losing another node loses nothing.
        redis[1].Kill();
        await Task.Delay(500);
        stopLoad.Cancel();
        await Task.WhenAll(load);
        foreach (var proxy in proxies)
        {
            for (var i = 0; i < Keys; i++)
            {
                Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "k" + i));
            }

            foreach (var (key, value) in acknowledged)
            {
                Assert.Equal(Bulk(value), await RawRedis.CommandAsync(proxy.Port, "GET", key));
            }
        }

        output.WriteLine($"{reads} reads under load, {misses} misses, {errors} errors, {acknowledged.Count} written keys checked");
        Assert.True(misses == 0 && errors == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public async Task Writers_doing_SET_DEL_INCR_APPEND_EXPIRE_through_two_proxies_during_the_copy_leave_the_warmed_node_exact()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        // A slow copy, so that the writers run during it.
        ProxyProcess[] proxies = [await cluster.StartProxyAsync("--repair-rate", "1500"), await cluster.StartProxyAsync("--repair-rate", "1500")];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        const int Filler = 4000, Hot = 16, WritersPerProxy = 4;
        var bigPrefix = new string('p', 100_000);
        for (var i = 0; i < Filler; i++)
        {
            await RawRedis.CommandAsync(proxies[0].Port, "SET", "f" + i, "v" + i);
        }

        for (var i = 0; i < Hot; i++)
        {
            await RawRedis.CommandAsync(proxies[0].Port, "SET", "del" + i, "doomed");
            await RawRedis.CommandAsync(proxies[0].Port, "SET", "exp" + i, "v");
            // Large values widen the window between a copy's DUMP and its RESTORE.
            await RawRedis.CommandAsync(proxies[0].Port, "SET", "app" + i, bigPrefix);
        }

        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Joining }, "the restarted node joining");

        // Each hot key has one writer, on one proxy (the per-proxy order of docs/consistency.md);
        // writers run concurrently over one pipelined connection per proxy.
        using var stopWriters = new CancellationTokenSource();
        var incrs = new long[Hot];
        var appends = new long[Hot];
        var sets = new string?[Hot];
        var deleted = new bool[Hot];
        await using var connectionA = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{proxies[0].Port}");
        await using var connectionB = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{proxies[1].Port}");
        StackExchange.Redis.IDatabase[] databases = [connectionA.GetDatabase(), connectionB.GetDatabase()];
        long operations = 0;
        var writers = Enumerable.Range(0, 2 * WritersPerProxy).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var db = databases[w / WritersPerProxy];
            var mine = Enumerable.Range(0, Hot).Where(i => i % (2 * WritersPerProxy) == w).ToArray();
            while (!stopWriters.IsCancellationRequested)
            {
                var i = mine[random.Next(mine.Length)];
                switch (random.Next(5))
                {
                    case 0:
                        var value = "s" + random.Next();
                        Assert.True(await db.StringSetAsync("set" + i, value));
                        sets[i] = value;
                        break;
                    case 1:
                        await db.KeyDeleteAsync("del" + i);
                        deleted[i] = true;
                        break;
                    case 2:
                        await db.StringIncrementAsync("incr" + i);
                        incrs[i]++;
                        break;
                    case 3:
                        await db.StringAppendAsync("app" + i, "x");
                        appends[i]++;
                        break;
                    default:
                        Assert.True(await db.KeyExpireAsync("exp" + i, TimeSpan.FromSeconds(1000)));
                        break;
                }

                Interlocked.Increment(ref operations);
            }
        })).ToArray();

        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "automatic promotion", TimeSpan.FromSeconds(90));
        stopWriters.Cancel();
        await Task.WhenAll(writers);
        await Task.Delay(200);

        // Placement as the proxies compute it, all three nodes up.
        var ring = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });

        // On both owners of every hot key (the warmed node among them for about two thirds),
        // the value is exactly what the writers made of it.
        var checkedKeys = 0;
        for (var i = 0; i < Hot; i++)
        {
            await CheckOnOwnersAsync("incr" + i, incrs[i] == 0 ? null : incrs[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            await CheckOnOwnersAsync("app" + i, bigPrefix + new string('x', (int)appends[i]));
            await CheckOnOwnersAsync("set" + i, sets[i]);
            await CheckOnOwnersAsync("del" + i, deleted[i] ? null : "doomed");
            foreach (var server in redis)
            {
                if (await server.CommandAsync("EXISTS", "exp" + i) == ":1\r\n")
                {
                    var ttl = long.Parse((await server.CommandAsync("TTL", "exp" + i)).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(ttl is -1 or > 900, $"exp{i} on {server.Endpoint}: TTL {ttl}");
                }
            }
        }

        output.WriteLine($"{operations} writes during the warm-up; {checkedKeys} copies checked; INCRs {incrs.Sum()}, APPENDs {appends.Sum()}");
        Assert.True(checkedKeys > Hot, $"only {checkedKeys} copies checked");

        // And the whole cluster: every key equal on both its owners.
        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0, text);

        async Task CheckOnOwnersAsync(string key, string? expected)
        {
            foreach (var owner in ring.Locate(System.Text.Encoding.UTF8.GetBytes(key)).Writes)
            {
                var reply = await redis[owner].CommandAsync("GET", key);
                Assert.True(reply == (expected is null ? "$-1\r\n" : Bulk(expected)),
                    $"{key} on {redis[owner].Endpoint}: {(reply.Length > 60 ? reply[..30] + "..." + reply[^30..] : reply).Trim()} ({reply.Length} chars), expected {(expected is null ? "(deleted)" : expected.Length > 60 ? $"{expected.Length} chars" : expected)}");
                checkedKeys++;
            }
        }
    }
    [Fact]
    public async Task Repairer_killed_mid_copy_is_followed_by_another_proxy_that_resumes_from_the_checkpoint_and_promotes()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        // Slow copies: the kill lands in the middle of one.
        ProxyProcess[] proxies = [await cluster.StartProxyAsync("--repair-rate", "600"), await cluster.StartProxyAsync("--repair-rate", "600")];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        const int Keys = 4500;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[0].Port, "SET", "k" + i, "v" + i));
        }

        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        var job = await WaitForJobAsync(cluster, address, j => j is { Phase: RepairPhase.Copying, Copied: > 600 }, "a copy under way");
        output.WriteLine("killing the repairer at: " + System.Text.Encoding.UTF8.GetString(job.ToJson()));
        var leader = proxies.Single(p => job.Repairer == "127.0.0.1:" + p.Port);
        var survivor = proxies.Single(p => p != leader);
        leader.Kill();

        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "promotion by the surviving proxy", TimeSpan.FromSeconds(60));
        var done = await WaitForJobAsync(cluster, address, j => j is { Phase: RepairPhase.Done }, "the job done");
        output.WriteLine("finished: " + System.Text.Encoding.UTF8.GetString(done.ToJson()));
        Assert.Equal("127.0.0.1:" + survivor.Port, done.Repairer);
        // The same generation, resumed: not copied again from the start.
        Assert.Equal(job.Generation, done.Generation);
        var held = long.Parse((await redis[0].CommandAsync("DBSIZE")).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(done.Copied < held + 600, $"copied {done.Copied} for {held} keys: the copy started over");
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(survivor.Port, "GET", "k" + i));
        }

        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0, text);
    }

    [Fact]
    public async Task Every_data_type_with_and_without_TTL_a_64_MB_value_and_a_million_member_set_are_warmed_up_exactly()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        // Large values take longer than the tests' usual 500 ms liveness timeout to dump and
        // restore, and making a 64 MB string in Lua keeps a node silent (not even BUSY) for seconds
        // on a loaded machine.
        var proxy = await cluster.StartProxyAsync("--liveness-timeout-ms", "5000", "--long-command-liveness-timeout-ms", "30000");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        var ring = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });

        // Names whose copies include the node that will restart empty.
        var names = Enumerable.Range(0, 1000).Select(i => "t" + i).Where(k => ring.Locate(System.Text.Encoding.UTF8.GetBytes(k)).Writes.Contains(0)).ToArray();
        var n = 0;
        string Next() => names[n++];
        var keys = new List<string>();
        async Task Run(params string[] command)
        {
            var reply = await RawRedis.CommandAsync(proxy.Port, command);
            Assert.False(reply.StartsWith('-'), $"{string.Join(' ', command)}: {reply}");
        }

        foreach (var ttl in new[] { false, true })
        {
            var k = Next(); await Run("SET", k, "plain"); keys.Add(k);
            k = Next(); await Run("HSET", k, "a", "1", "b", "2"); keys.Add(k);
            k = Next(); await Run("RPUSH", k, "x", "y", "z"); keys.Add(k);
            k = Next(); await Run("SADD", k, "m1", "m2"); keys.Add(k);
            k = Next(); await Run("ZADD", k, "1", "a", "2.5", "b"); keys.Add(k);
            k = Next(); await Run("XADD", k, "1-1", "f", "v"); keys.Add(k);
            k = Next(); await Run("PFADD", k, "a", "b", "c"); keys.Add(k);
            k = Next(); await Run("SETBIT", k, "1000", "1"); keys.Add(k);
            k = Next(); await Run("GEOADD", k, "13.361389", "38.115556", "Palermo"); keys.Add(k);
            if (ttl)
            {
                foreach (var key in keys.Skip(keys.Count - 9))
                {
                    await Run("EXPIRE", key, "5000");
                }
            }
        }

        var big = Next();
        await Run("EVAL", "redis.call('SET', KEYS[1], string.rep('v', 64 * 1024 * 1024)) return 1", "1", big);
        var million = Next();
        await Run("EVAL", "for i = 1, 1000000, 1000 do local m = {} for j = i, i + 999 do m[#m + 1] = j end redis.call('SADD', KEYS[1], unpack(m)) end return 1", "1", million);
        Assert.Equal(":1000000\r\n", await RawRedis.CommandAsync(proxy.Port, "SCARD", million));

        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        var took = await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up } && n.Reason.Contains("warmed up", StringComparison.Ordinal), "promotion", TimeSpan.FromSeconds(120));
        output.WriteLine($"warmed up and promoted in {took.TotalSeconds:F1} s");

        foreach (var key in keys.Append(big).Append(million))
        {
            Assert.Equal(":1\r\n", await redis[0].CommandAsync("EXISTS", key));
        }

        Assert.Equal($":{64 * 1024 * 1024}\r\n", await redis[0].CommandAsync("STRLEN", big));
        Assert.Equal(":1000000\r\n", await redis[0].CommandAsync("SCARD", million));
        foreach (var key in keys.Skip(9))
        {
            var ttl = long.Parse((await redis[0].CommandAsync("TTL", key)).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ttl is > 4900 and <= 5000, $"{key}: TTL {ttl} on the warmed-up node");
        }

        foreach (var key in keys.Take(9))
        {
            Assert.Equal(":-1\r\n", await redis[0].CommandAsync("TTL", key));
        }

        // Every key's copies are equal by the canonical digest (type, content, TTL).
        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0, text);
    }

    [Fact]
    public async Task Fourth_node_added_under_load_is_warmed_up_promoted_holds_its_share_and_old_copies_are_trimmed()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        string[] options = ["--anti-entropy-interval-s", "1", "--trim-grace-s", "3"];
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(options), await cluster.StartProxyAsync(options)];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        const int Keys = 3000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[i % 2].Port, "SET", "k" + i, "v" + i));
        }

        // Reads and read-your-writes through both proxies for the whole change.
        var load = new ReadYourWritesLoad(proxies, Keys);

        await Task.Delay(500);
        var added = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(added);
        cluster.StartRegistrar(added);
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Joining }, "the new node joining");
        var took = await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up } && n.Reason.Contains("warmed up", StringComparison.Ordinal),
            "automatic promotion of the new node", TimeSpan.FromSeconds(60));
        output.WriteLine($"new node promoted after {took.TotalSeconds:F1} s");
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 4 && r.Values.All(s => s == "up"), "four up nodes");
        }

        await Task.Delay(1000);
        await load.StopAsync();
        output.WriteLine($"{load.Reads} reads under load, {load.Problems.Count} problems");
        Assert.True(load.Problems.IsEmpty, string.Join("\n", load.Problems.Take(20)));

        // Old copies go once the ring has been stable for the grace period: 2 copies of each key.
        RedisServer[] all = [.. redis, added];
        var total = Keys + ReadYourWritesLoad.Writers * ReadYourWritesLoad.KeysPerWriter;
        async Task<long> CopiesAsync()
        {
            long copies = 0;
            foreach (var server in all)
            {
                copies += long.Parse((await server.CommandAsync("DBSIZE")).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
            }

            return copies;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CopiesAsync() != 2 * total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(2 * total, await CopiesAsync());
        // Exactly the keys the ring gives it: about R/4 of them, as ketama spreads them.
        var ring = HashRing.Create([.. all.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });
        var owned = Enumerable.Range(0, Keys).Select(i => "k" + i).Concat(Enumerable.Range(0, ReadYourWritesLoad.Writers).SelectMany(w => Enumerable.Range(0, ReadYourWritesLoad.KeysPerWriter).Select(n => $"w{w}-{n}")))
            .Count(k => ring.Locate(System.Text.Encoding.UTF8.GetBytes(k)).Writes.Contains(3));
        var share = long.Parse((await added.CommandAsync("DBSIZE")).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"the new node holds {share} of {total} keys; it owns {owned} (R/4 would be {total / 2})");
        Assert.Equal(owned, share);
        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0 && text.Contains("copies not owned: 0", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task Drain_on_SIGTERM_hands_every_key_to_its_new_owners_under_load_before_the_node_leaves()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        // No anti-entropy: the copies after the removal must come from the drain alone.
        ProxyProcess[] proxies = [await cluster.StartProxyAsync("--anti-entropy-interval-s", "0"), await cluster.StartProxyAsync("--anti-entropy-interval-s", "0")];
        var leaver = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(leaver);
        var registrar = cluster.StartRegistrar(leaver, "--on-stop", "drain");
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "the fourth node warmed up and promoted", TimeSpan.FromSeconds(60));
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 4 && r.Values.All(s => s == "up"), "four up nodes");
        }

        const int Keys = 3000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[i % 2].Port, "SET", "k" + i, "v" + i));
        }

        var load = new ReadYourWritesLoad(proxies, Keys);

        await Task.Delay(500);
        registrar.Signal("TERM");
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Leaving }, "leaving");
        var took = await cluster.WaitForNodeAsync(address, n => n is null, "removal after the drain", TimeSpan.FromSeconds(60));
        output.WriteLine($"drained and removed {took.TotalSeconds:F1} s after leaving");
        Assert.Equal(0, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "three nodes left");
        }

        // R copies of every key on the nodes that stay, the moment the node is gone (the load
        // stops first: a key written during the check may show as differing).
        await load.StopAsync();
        output.WriteLine($"{load.Reads} reads under load, {load.Problems.Count} problems");
        Assert.True(load.Problems.IsEmpty, string.Join("\n", load.Problems.Take(20)));
        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0 && text.Contains("missing on up owners: 0;", StringComparison.Ordinal), text);

        // The drained server is no longer needed by anyone, and one more node may fail.
        leaver.Kill();
        redis[0].Kill();
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxies[i % 2].Port, "GET", "k" + i));
        }

        foreach (var (key, value) in load.Acknowledged)
        {
            Assert.Equal(Bulk(value), await RawRedis.CommandAsync(proxies[0].Port, "GET", key));
        }
    }

    [Fact]
    public async Task Operator_drain_moves_every_key_then_the_nodes_registrar_exits_without_registering_it_again()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync("--anti-entropy-interval-s", "0");
        var leaver = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(leaver);
        var registrar = cluster.StartRegistrar(leaver);
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "the fourth node warmed up and promoted", TimeSpan.FromSeconds(60));
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 4 && r.Values.All(s => s == "up"), "four up nodes");
        const int Keys = 2000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        var environment = new Dictionary<string, string> { ["REDISRING_ZK_AUTH"] = ZooKeeperRingCluster.ClusterAuth };
        var (drainCode, drainText) = await RegistrarProcess.RunCommandAsync(
            ["drain", "--zookeeper", zk.Server.Endpoint, "--cluster", cluster.Layout.Cluster, "--node", address.ToString(), "--follow", "--timeout-s", "60"], environment);
        output.WriteLine(drainText);
        Assert.True(drainCode == 0, drainText);
        Assert.Contains($"{address} drained and removed", drainText, StringComparison.Ordinal);

        // Its registrar sees its leaving member gone, exits, and does not bring it back.
        Assert.Equal(0, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await Task.Delay(1000);
        Assert.Null(await cluster.ReadNodeAsync(address));

        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0 && text.Contains("missing on up owners: 0;", StringComparison.Ordinal), text);
        leaver.Kill();
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "k" + i));
        }
    }

    [Fact]
    public async Task Node_restarted_again_during_its_own_warm_up_starts_a_new_generation_and_ends_complete()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync("--repair-rate", "500");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        const int Keys = 3000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        var first = await WaitForJobAsync(cluster, address, j => j is { Phase: RepairPhase.Copying, Copied: > 300 }, "a copy under way");

        // Killed again mid-copy, back empty with yet another run_id.
        redis[0].Kill();
        await redis[0].StartAsync();
        var second = await WaitForJobAsync(cluster, address, j => j.Generation > first.Generation && j.RunId != first.RunId, "a new generation for the new run_id");
        output.WriteLine($"generation {first.Generation} (run_id {first.RunId}, {first.Copied} copied) replaced by {second.Generation} (run_id {second.RunId})");
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up } && n.RunId == second.RunId, "promotion of the node's current run_id", TimeSpan.FromSeconds(60));
        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0, text);
    }

    private static async Task<RepairJob> WaitForJobAsync(ZooKeeperRingCluster cluster, NodeAddress address, Func<RepairJob, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        RepairJob? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var data = await cluster.Admin.GetDataAsync(cluster.Layout.RepairJob(address));
                if (RepairJob.TryParse(address.ToString(), data.Data, out var job, out _))
                {
                    last = job;
                    if (condition(job))
                    {
                        return job;
                    }
                }
            }
            catch (RedisRing.ZooKeeper.NoNodeException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what} did not happen; last job: {(last is null ? "none" : System.Text.Encoding.UTF8.GetString(last.ToJson()))}");
    }
}
