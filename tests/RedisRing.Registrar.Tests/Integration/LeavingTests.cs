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
    public async Task Sigterm_marks_the_node_leaving_then_removes_it_and_exits_cleanly()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis, "--leave-delay-ms", "500");
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");

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
        lock (states)
        {
            Assert.Contains(states, s => s.Contains("\"state\":\"leaving\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Killed_registrars_node_leaves_after_the_session_timeout_and_returns_when_restarted()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");

        registrar.Kill();
        await Task.Delay(500);
        Assert.NotNull(await cluster.ReadNodeAsync(address)); // the session still lives
        var gone = await cluster.WaitForNodeAsync(address, n => n is null, "removal after the session timeout");
        output.WriteLine($"znode gone {gone.TotalMilliseconds + 500:0} ms after kill -9 of the registrar (session timeout 2 s)");

        registrar.Start();
        await cluster.WaitForNodeAsync(address, n => n is not null, "re-registration");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
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
