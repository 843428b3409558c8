using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>Patched servers and registrar-managed stock servers, as a proxy's watcher sees them.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class MixedRingTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Ring(MembershipSnapshot snapshot) => string.Join(",", snapshot.Nodes.Select(n => $"{n.Address}={n.State.ToJson()}"));

    private static async Task WaitAsync(MembershipWatcher watcher, Func<MembershipSnapshot, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition(watcher.Current))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{what} did not happen; ring: {Ring(watcher.Current)}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Watcher_sees_patched_and_registrar_managed_servers_as_one_ring()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        await using var client = await PatchCluster.ConnectAsync(zk.Server, PatchCluster.Proxy);
        await using var watcher = await MembershipWatcher.StartAsync(client, cluster.Layout);

        var patched = await cluster.StartPatchedAsync();
        var stock = await cluster.StartRegistrarManagedAsync();
        string[] expected = [$"127.0.0.1:{patched.Port}", $"127.0.0.1:{stock.Port}"];
        await WaitAsync(watcher, s => s.Nodes.Count == 2, "both nodes in the write ring");
        Assert.Equal(expected.Order(), watcher.Current.Nodes.Select(n => n.Address.ToString()).Order());
        Assert.All(watcher.Current.Nodes, n => Assert.Equal(NodeState.Joining, n.State));
        Assert.Empty(watcher.Current.Rejected);

        // Promoted the same way, they enter the read ring the same way.
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(patched.Port));
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(stock.Port));
        await WaitAsync(watcher, s => s.ReadNodes.Count == 2, "both nodes in the read ring");

        await patched.ShutdownAsync();
        await WaitAsync(watcher, s => s.Nodes.Count == 1 && s.Nodes[0].Address.Port == stock.Port, "the patched node leaving");
    }
}
