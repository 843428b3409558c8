using System.Text;
using RedisRing.Membership;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

[Collection(ZooKeeperCollection.Name)]
public sealed class LeavingTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_deletes_only_the_liveness_znode_and_exits_cleanly()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");

        registrar.Signal("TERM");
        Assert.Equal(0, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(await cluster.ReadLivenessAsync(address));
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
    }

    [Fact]
    public async Task Sigterm_with_on_stop_leave_marks_the_member_leaving_then_removes_it_and_exits_cleanly()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis, "--on-stop", "leave", "--leave-delay-ms", "500");
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");

        var states = new List<string>();
        var deleted = new TaskCompletionSource();
        void Watch(WatchedEvent e)
        {
            if (e.Type == WatchEventType.NodeDeleted)
            {
                deleted.TrySetResult();
                return;
            }

            _ = cluster.Admin.GetDataAsync(e.Path, Watch).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    lock (states)
                    {
                        states.Add(Encoding.UTF8.GetString(t.Result.Data));
                    }
                }
                else
                {
                    deleted.TrySetResult();
                }
            }, TaskScheduler.Default);
        }

        await cluster.Admin.GetDataAsync(cluster.Layout.Node(address), Watch);
        registrar.Signal("TERM");
        Assert.Equal(0, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await deleted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await cluster.ReadNodeAsync(address));
        Assert.Null(await cluster.ReadLivenessAsync(address));
        lock (states)
        {
            Assert.Contains(states, s => s.Contains("\"state\":\"leaving\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Killed_registrars_liveness_goes_after_the_session_timeout_and_a_restarted_registrar_keeps_the_member_up()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var (_, before) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));

        registrar.Kill();
        await Task.Delay(500);
        Assert.NotNull(await cluster.ReadLivenessAsync(address)); // the session still lives
        var gone = await cluster.WaitForLiveAsync(address, l => l is null, "liveness gone after the session timeout");
        output.WriteLine($"liveness gone {gone.TotalMilliseconds + 500:0} ms after kill -9 of the registrar (session timeout 2 s)");

        registrar.Start();
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness from the new registrar");
        var (_, after) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(address))!.State);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task Paused_registrar_past_its_session_timeout_comes_back_live_and_its_member_stays_up()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var (_, before) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));

        registrar.Signal("STOP");
        try
        {
            await cluster.WaitForLiveAsync(address, l => l is null, "liveness expired with the paused registrar's session", TimeSpan.FromSeconds(15));
        }
        finally
        {
            registrar.Signal("CONT");
        }

        var back = await cluster.WaitForLiveAsync(address, l => l is not null, "liveness on a new session");
        output.WriteLine($"liveness back {back.TotalMilliseconds:F0} ms after SIGCONT");
        var (_, after) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(address))!.State);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task Registrar_refuses_to_run_for_a_cluster_that_was_not_created()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        await using var registrar = Testing.RegistrarProcess.Start(output, redis.Endpoint,
            ["--zookeeper", zk.Server.Endpoint, "--cluster", "never-created-" + Guid.NewGuid().ToString("N")[..6]], ZooKeeperRingCluster.ClusterAuth);
        Assert.Equal(2, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("create the cluster first", registrar.ReadLog(), StringComparison.Ordinal);
    }
}
