using System.Text;
using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>Writes to every copy, hints, read failover and the SPOP gate, on fake backends in memory.</summary>
public sealed class ReplicationTests
{
    [Fact]
    public async Task A_write_goes_to_every_copy_and_a_copy_whose_connection_fails_gets_a_hint_for_the_key()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = proxy.KeyOn(0, replica: 1);
        var other = proxy.KeyOn(0, replica: 1, prefix: "other");
        var client = proxy.Connect();
        client.Send("SET", other, "1");
        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("1", proxy.Backends[0].Get(other));
        Assert.Equal("1", proxy.Backends[1].Get(other));

        // The replica's connection breaks on the write and it stays unreachable.
        proxy.Backends[1].RefuseConnections = true;
        proxy.Backends[1].DropOnNext("SET");
        client.Send("SET", key, "v");

        Assert.Equal("+OK", await client.ReadAsync());
        Assert.Equal("v", proxy.Backends[0].Get(key));
        Assert.Null(proxy.Backends[1].Get(key));
        Assert.Contains($"SET {key} v", proxy.Backends[1].Received);
        var replica = proxy.Node(1);
        Assert.Equal(BackendState.Down, replica.State);
        Assert.Equal(1, replica.WriteCopyFailures);
        Assert.Equal([key], replica.Hints.TakeAll().Select(k => Encoding.UTF8.GetString(k)));
        Assert.Equal(0, proxy.Node(0).Hints.Count);
    }

    [Fact]
    public async Task A_read_fails_over_to_the_replica_at_once_when_the_primarys_connection_drops()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = proxy.KeyOnPrimaryZeroThatStaysDown("from-primary", "from-replica");
        proxy.Backends[0].DropOnNext("GET");
        var started = proxy.Time.GetUtcNow();
        var client = proxy.Connect();

        client.Send("GET", key);

        Assert.Equal("from-replica", await client.ReadAsync());
        Assert.Equal(started, proxy.Time.GetUtcNow());
        Assert.Equal(1, proxy.Node(0).ReadFailovers);
        Assert.Single(proxy.Backends[1].ReceivedOf("GET"));

        // The primary is down now: the next read goes straight to the replica.
        client.Send("GET", key);
        Assert.Equal("from-replica", await client.ReadAsync());
        Assert.Single(proxy.Backends[0].ReceivedOf("GET"));
    }

    [Fact]
    public async Task A_read_the_primary_answers_with_LOADING_goes_to_the_replica()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var key = proxy.KeyOn(0, replica: 1);
        proxy.Backends[0].Set(key, "from-primary");
        proxy.Backends[1].Set(key, "from-replica");
        proxy.Backends[0].FailNext("GET", "LOADING Redis is loading the dataset in memory");
        var client = proxy.Connect();

        client.Pipeline(["GET", key], ["GET", key]);

        Assert.Equal("from-replica", await client.ReadAsync());
        Assert.Equal("from-primary", await client.ReadAsync());
        Assert.True(proxy.Node(0).IsReadable);
    }

    [Fact]
    public async Task SPOP_parks_later_commands_of_its_replica_set_until_SREM_went_to_the_other_copy()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var set = proxy.KeyOn(0, replica: 1, prefix: "set");
        var elsewhereOn0 = proxy.KeyOn(0, prefix: "free", avoid: set);
        var elsewhereOn1 = proxy.KeyOn(1, prefix: "free", avoid: set);
        proxy.Backends[0].AddMembers(set, "m1", "m2");
        proxy.Backends[1].AddMembers(set, "m1", "m2");
        proxy.Backends[0].HoldReplies();
        var client = proxy.Connect();

        client.Pipeline(["SPOP", set], ["SADD", set, "m3"], ["GET", elsewhereOn0], ["GET", elsewhereOn1]);

        // Reads of other replica sets, sent after the SADD, reached both nodes: the SADD did not.
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("GET").Count == 1, "the free read on node 0");
        await Eventually.TrueAsync(() => proxy.Backends[1].ReceivedOf("GET").Count == 1, "the free read on node 1");
        Assert.Equal([$"SPOP {set}", $"GET {elsewhereOn0}"], proxy.Backends[0].Received.Where(c => !c.StartsWith("INFO", StringComparison.Ordinal)));
        Assert.Equal([$"GET {elsewhereOn1}"], proxy.Backends[1].Received.Where(c => !c.StartsWith("INFO", StringComparison.Ordinal)));

        proxy.Backends[0].ReleaseReplies();

        Assert.Equal("m1", await client.ReadAsync());
        Assert.Equal(":1", await client.ReadAsync());
        Assert.Equal("(nil)", await client.ReadAsync());
        Assert.Equal("(nil)", await client.ReadAsync());
        await Eventually.TrueAsync(() => proxy.Backends[1].ReceivedOf("SADD").Count == 1, "the SADD on the replica");
        var onReplica = proxy.Backends[1].Received.ToList();
        Assert.Contains($"SREM {set} m1", onReplica);
        Assert.True(onReplica.IndexOf($"SREM {set} m1") < onReplica.IndexOf($"SADD {set} m3"), string.Join(" | ", onReplica));
        Assert.Equal(["m2", "m3"], proxy.Backends[0].Members(set));
        Assert.Equal(["m2", "m3"], proxy.Backends[1].Members(set));
    }
}
