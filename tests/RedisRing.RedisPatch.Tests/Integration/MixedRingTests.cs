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
    private static string Ring(MembershipSnapshot snapshot) =>
        string.Join(",", snapshot.Nodes.Select(n => $"{n.Address}={n.State.ToJson()}{(snapshot.IsLive(n) ? "/live" : "/not-live")}"));

    private static async Task WaitAsync(MembershipWatcher watcher, Func<MembershipSnapshot, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition(watcher.Current))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{what} did not happen; ring: {Ring(watcher.Current)}");
            await Task.Delay(10);
        }
    }

    /// <summary>Readable by a proxy: the member is <c>up</c> and its liveness znode carries the member's run_id.</summary>
    private static bool Readable(MembershipSnapshot snapshot, int port) =>
        snapshot.ReadNodes.Any(n => n.Address.Port == port && snapshot.IsLive(n));

    [Fact]
    public async Task Watcher_sees_patched_and_registrar_managed_servers_as_one_ring_and_a_stopped_one_keeps_its_place_without_liveness()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        await using var client = await PatchCluster.ConnectAsync(zk.Server, PatchCluster.Proxy);
        await using var watcher = await MembershipWatcher.StartAsync(client, cluster.Layout);

        var patched = await cluster.StartPatchedAsync();
        var stock = await cluster.StartRegistrarManagedAsync();
        string[] expected = [$"127.0.0.1:{patched.Port}", $"127.0.0.1:{stock.Port}"];
        await WaitAsync(watcher, s => s.Nodes.Count == 2 && s.Nodes.All(s.IsLive), "both nodes in the write ring and live");
        Assert.Equal(expected.Order(), watcher.Current.Nodes.Select(n => n.Address.ToString()).Order());
        Assert.All(watcher.Current.Nodes, n => Assert.Equal(NodeState.Joining, n.State));
        Assert.All(watcher.Current.Nodes, n => Assert.Equal(MemberStep.NewNode, n.Reason));
        Assert.Empty(watcher.Current.Rejected);
        Assert.Empty(watcher.Current.ReadNodes);

        // Promoted the same way, they enter the read ring the same way.
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(patched.Port));
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(stock.Port));
        await WaitAsync(watcher, s => Readable(s, patched.Port) && Readable(s, stock.Port), "both nodes up and live");
        var version = watcher.Current.Version;

        // Down is not out: the stopped server's member stays up in both rings (placement does
        // not change), only its liveness goes, and that is no ring change.
        await patched.ShutdownAsync();
        await WaitAsync(watcher, s => !s.Live.ContainsKey(expected[0]), "the patched node's liveness going");
        Assert.Equal(expected.Order(), watcher.Current.Nodes.Select(n => n.Address.ToString()).Order());
        Assert.Equal(2, watcher.Current.ReadNodes.Count);
        Assert.False(Readable(watcher.Current, patched.Port));
        Assert.True(Readable(watcher.Current, stock.Port));
        Assert.Equal(version, watcher.Current.Version);

        // The same for the stock server once its registrar finds it gone (a refused connection).
        stock.Kill();
        await WaitAsync(watcher, s => s.Live.Count == 0, "the stock node's liveness going");
        Assert.Equal(2, watcher.Current.ReadNodes.Count);
        Assert.Equal(version, watcher.Current.Version);
    }
}
