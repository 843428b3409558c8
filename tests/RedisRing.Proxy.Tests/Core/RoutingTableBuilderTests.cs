using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Proxy.RingSources;
using RedisRing.Ring;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>How a membership snapshot becomes the proxy's routing table: member identity, run_ids, cluster start (no ZooKeeper, no connection).</summary>
public sealed class RoutingTableBuilderTests
{
    private static readonly NodeAddress A = new("127.0.0.1", 7001);
    private static readonly NodeAddress B = new("127.0.0.1", 7002);

    private static MembershipSnapshot Snapshot(long version, params (NodeRecord Record, long CreatedZxid)[] members)
    {
        var view = MembershipView.From(
            members.Select(m => (m.Record.Address.ToString(), m.Record.ToJson())),
            members.ToDictionary(m => m.Record.Address.ToString(), m => new MemberZnode(m.CreatedZxid, 0), StringComparer.Ordinal));
        return new MembershipSnapshot(version, view, new Dictionary<string, string>(), new RingConfig(2, "{}"), DateTimeOffset.UnixEpoch);
    }

    private static (RoutingTableBuilder Builder, CurrentRoutingTable Routing) NewBuilder()
    {
        var options = new ProxyOptions();
        var time = new CountingFakeTimeProvider();
        var routing = new CurrentRoutingTable(RoutingTable.Empty(new RingOptions { Replicas = 2 }, time));
        // The fake connector knows no node: the built backends never connect in these tests.
        var factory = new BackendNodeFactory(options, routing, NullLoggerFactory.Instance, time, new FakeBackendConnector(new Dictionary<string, FakeRedisBackend>()));
        return (new RoutingTableBuilder(options, factory), routing);
    }

    [Fact]
    public void A_member_deleted_and_created_again_within_one_snapshot_is_a_new_backend()
    {
        var (builder, routing) = NewBuilder();
        var first = builder.Build(Snapshot(1, (new NodeRecord(A, 1, NodeState.Joining, "run-a"), 10), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), routing.Value)!;
        var before = first.Next.Backends[0];

        // Same address, weight, state and run_id: only the znode's creation zxid tells.
        var again = builder.Build(Snapshot(2, (new NodeRecord(A, 1, NodeState.Joining, "run-a"), 42), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), first.Next)!;

        Assert.NotNull(again);
        Assert.NotSame(before, again.Next.Backends[0]);
        Assert.Equal(42, again.Next.Backends[0].MemberCreatedZxid);
        Assert.Same(before, Assert.Single(again.Removed));
        Assert.Same(first.Next.Backends[1], again.Next.Backends[1]);
    }

    [Fact]
    public void An_unchanged_snapshot_builds_nothing_and_a_new_run_id_reaches_the_backend()
    {
        var (builder, routing) = NewBuilder();
        var first = builder.Build(Snapshot(1, (new NodeRecord(A, 1, NodeState.Up, "run-a"), 10), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), routing.Value)!;
        Assert.Null(builder.Build(Snapshot(1, (new NodeRecord(A, 1, NodeState.Up, "run-a"), 10), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), first.Next));

        var restarted = builder.Build(Snapshot(2, (new NodeRecord(A, 1, NodeState.Joining, "run-a2"), 10), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), first.Next)!;
        Assert.Same(first.Next.Backends[0], restarted.Next.Backends[0]);
        Assert.Equal("run-a2", restarted.Next.Backends[0].ExpectedRunId);
        Assert.Empty(restarted.Added);
    }

    [Fact]
    public void A_cluster_with_an_initial_node_not_registered_yet_is_not_in_service_until_it_is()
    {
        var (builder, routing) = NewBuilder();
        var starting = builder.Build(Snapshot(1, (new NodeRecord(A, 1, NodeState.Up, "run-a"), 10), (new NodeRecord(B, 1, NodeState.Up, ""), 11)), routing.Value)!;
        Assert.Equal("CLUSTERDOWN cluster is starting: waiting for the first registration of 127.0.0.1:7002", starting.Next.Unavailable);
        Assert.Null(starting.Next.Backends[1].ExpectedRunId);

        var started = builder.Build(Snapshot(2, (new NodeRecord(A, 1, NodeState.Up, "run-a"), 10), (new NodeRecord(B, 1, NodeState.Up, "run-b"), 11)), starting.Next)!;
        Assert.Null(started.Next.Unavailable);
        Assert.Equal("run-b", started.Next.Backends[1].ExpectedRunId);
    }
}
