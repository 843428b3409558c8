using System.Text;
using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>A transaction's copies (docs/consistency.md, "Transactions"), on fake backends in memory.</summary>
public sealed class TransactionCopyTests
{
    [Fact]
    public async Task A_copy_whose_connection_drops_at_exec_gets_a_hint_for_every_key_and_the_client_the_other_copys_reply()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = "{" + proxy.KeyOn(0, replica: 1, prefix: "t") + "}";
        proxy.Backends[1].RefuseConnections = true;
        proxy.Backends[1].DropOnNext("EXEC");
        var client = proxy.Connect();

        client.Pipeline([["MULTI"], ["SET", key, "a"], ["SET", key + "x", "b"], ["EXEC"], ["WAIT", "2", "0"]]);

        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("+QUEUED", await client.ReadAsync());
        Assert.Equal("+QUEUED", await client.ReadAsync());
        Assert.Equal("[+OK, +OK]", await client.ReadAsync());
        Assert.Equal(":1", await client.ReadAsync());
        Assert.Equal("a", proxy.Backends[0].Get(key));
        Assert.Null(proxy.Backends[1].Get(key));
        Assert.Equal(BackendState.Down, proxy.Node(1).State);
        Assert.Equal([key, key + "x"], proxy.Node(1).Hints.TakeAll().Select(k => Encoding.UTF8.GetString(k)).Order());
    }

    [Fact]
    public async Task A_copy_that_refuses_a_transaction_the_primary_ran_is_marked_diverged()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = "{" + proxy.KeyOn(0, replica: 1, prefix: "d") + "}";
        proxy.Backends[1].FailNext("EXEC", "EXECABORT Transaction discarded because of previous errors.");
        var client = proxy.Connect();

        client.Pipeline([["MULTI"], ["SET", key, "v"], ["EXEC"]]);

        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("+QUEUED", await client.ReadAsync());
        Assert.Equal("[+OK]", await client.ReadAsync());
        Assert.Equal(1, proxy.Node(1).DivergedCopies);
        Assert.Equal(0, proxy.Node(0).DivergedCopies);
        Assert.Equal("v", proxy.Backends[0].Get(key));
    }

    [Fact]
    public async Task A_read_only_transaction_runs_on_the_primary_only_and_fails_over_to_the_replica_when_its_connection_drops()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = proxy.KeyOnPrimaryZeroThatStaysDown("from-primary", "from-replica");
        proxy.Backends[0].RefuseConnections = false;
        var client = proxy.Connect();

        client.Pipeline([["MULTI"], ["GET", key], ["EXEC"]]);
        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("+QUEUED", await client.ReadAsync());
        Assert.Equal("[from-primary]", await client.ReadAsync());
        Assert.Empty(proxy.Backends[1].ReceivedOf("EXEC"));

        proxy.Backends[0].RefuseConnections = true;
        proxy.Backends[0].DropOnNext("EXEC");
        client.Pipeline([["MULTI"], ["GET", key], ["EXEC"]]);
        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("+QUEUED", await client.ReadAsync());
        Assert.Equal("[from-replica]", await client.ReadAsync());
        Assert.Equal(1, proxy.Node(0).ReadFailovers);
    }
}
