using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// Which run_id a backend trusts when it reconnects: the member's word, not the run_id this proxy
/// happened to see last. On fake backends in memory (FakeRedisBackend, a scripted stand-in for
/// redis-server; the same rules run against real servers in the ZooKeeper-mode tests).
/// </summary>
public sealed class RunIdTests
{
    [Fact]
    public async Task A_node_promoted_for_its_new_run_id_while_this_proxy_could_not_reach_it_serves_reads_on_reconnect()
    {
        var (node, connector, server, time) = await ConnectedNodeAsync();

        // The node restarts while this proxy cannot reach it; meanwhile it is repaired and the
        // membership promotes it for its new run_id.
        server.RunId = "after-restart";
        server.DropConnections();
        await Eventually.TrueAsync(() => node.State != BackendState.Up, "the lost connection noticed");
        node.ExpectRunId("after-restart");
        await ReconnectAsync(node, connector, server, time);

        Assert.Equal(BackendState.Up, node.State);
        Assert.False(node.NeedsRepair);
    }

    [Fact]
    public async Task A_node_that_answers_with_another_run_id_than_its_members_is_not_read()
    {
        var (node, connector, server, time) = await ConnectedNodeAsync();

        server.RunId = "after-restart";
        server.DropConnections();
        await Eventually.TrueAsync(() => node.State != BackendState.Up, "the lost connection noticed");
        await ReconnectAsync(node, connector, server, time);

        Assert.Equal(BackendState.NeedsRepair, node.State);
        Assert.Contains("differs from the member's", node.RepairReason, StringComparison.Ordinal);
    }

    private static async Task<(BackendNode Node, ScriptedConnector Connector, FakeRedisBackend Server, CountingFakeTimeProvider Time)> ConnectedNodeAsync()
    {
        var time = new CountingFakeTimeProvider();
        var connector = new ScriptedConnector(time);
        var routing = new CurrentRoutingTable(RoutingTable.Empty(new RingOptions(), time));
        var node = new BackendNodeFactory(new ProxyOptions(), routing, NullLoggerFactory.Instance, time, connector).Create(new NodeEndpoint("10.0.0.1", 6379, 1, null));
        var server = new FakeRedisBackend("10.0.0.1:6379") { RunId = "before-restart" };
        node.ExpectRunId("before-restart");
        node.StartRecovery();
        await Eventually.TrueAsync(() => connector.Attempts.Count == 1, "the first attempt");
        connector.Attempts[^1].Connect(server.Accept());
        await Eventually.TrueAsync(() => node.State == BackendState.Up, "the node up");
        return (node, connector, server, time);
    }

    /// <summary>Lets the reconnect back-off pass on the fake clock, connects the next attempt and waits for the handshake's verdict.</summary>
    private static async Task ReconnectAsync(BackendNode node, ScriptedConnector connector, FakeRedisBackend server, CountingFakeTimeProvider time)
    {
        bool Pending() => connector.Attempts is [.., { Outcome.Task.IsCompleted: false }];
        for (var i = 0; i < 100 && !Pending(); i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }

        Assert.True(Pending(), $"no reconnect attempt: {node.State}, {node.LastError}");
        connector.Attempts[^1].Connect(server.Accept());
        await Eventually.TrueAsync(() => node.State is BackendState.Up or BackendState.NeedsRepair, "the handshake's verdict");
    }
}
