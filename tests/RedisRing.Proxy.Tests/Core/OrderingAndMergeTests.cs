namespace RedisRing.Proxy.Tests.Core;

/// <summary>Reply order and merges of split commands, on fake backends in memory.</summary>
public sealed class OrderingAndMergeTests
{
    [Fact]
    public async Task Pipelined_replies_come_back_in_request_order_when_backends_answer_out_of_order()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 1);
        var onA = proxy.KeyOn(0);
        var onB = proxy.KeyOn(1);
        proxy.Backends[0].Set(onA, "from-a");
        proxy.Backends[1].Set(onB, "from-b");
        proxy.Backends[0].HoldReplies();
        var client = proxy.Connect();

        client.Pipeline(["GET", onA], ["GET", onB], ["GET", onA], ["GET", onB]);

        // Node B has answered both of its reads while node A still holds both of its replies.
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("GET").Count == 2, "node A read both GETs");
        await Eventually.TrueAsync(() => proxy.Backends[1].ReceivedOf("GET").Count == 2 && proxy.Node(1).PendingCount == 0, "node B answered both GETs");
        Assert.Equal(0, client.Unread);

        proxy.Backends[0].ReleaseReplies();

        Assert.Equal("from-a", await client.ReadAsync());
        Assert.Equal("from-b", await client.ReadAsync());
        Assert.Equal("from-a", await client.ReadAsync());
        Assert.Equal("from-b", await client.ReadAsync());
    }

    [Fact]
    public async Task MGET_split_over_replica_sets_returns_the_values_in_the_clients_key_order()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var k0 = proxy.KeyOn(0);
        var k1 = proxy.KeyOn(1);
        var k2 = proxy.KeyOn(2);
        var missing = proxy.KeyOn(1, prefix: "missing");
        var client = proxy.Connect();
        client.Send("MSET", k0, "v0", k1, "v1", k2, "v2");
        Assert.Equal("+OK", await client.ReadAsync());
        foreach (var (key, value) in new[] { (k0, "v0"), (k1, "v1"), (k2, "v2") })
        {
            Assert.All(proxy.CopiesOf(key), copy => Assert.Equal(value, proxy.Backends[copy].Get(key)));
        }

        // The first key's node answers last.
        proxy.Backends[2].HoldReplies();
        client.Send("MGET", k2, missing, k0, k1);
        await Eventually.TrueAsync(() => proxy.Backends[2].ReceivedOf("MGET").Count == 1, "node 2 read its MGET");
        proxy.Backends[2].ReleaseReplies();

        Assert.Equal("[v2, (nil), v0, v1]", await client.ReadAsync());
        Assert.True(proxy.Backends.Count(b => b.ReceivedOf("MGET").Count == 1) >= 3, "one MGET per replica set, on its primary");
    }

    [Fact]
    public async Task DEL_split_over_replica_sets_sums_the_counts_and_deletes_every_copy()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2);
        var keys = new[] { proxy.KeyOn(0), proxy.KeyOn(1), proxy.KeyOn(2) };
        var missing = proxy.KeyOn(0, prefix: "missing");
        var client = proxy.Connect();
        foreach (var key in keys)
        {
            client.Send("SET", key, "x");
            Assert.Equal("+OK", await client.ReadAsync());
        }

        client.Send(["DEL", .. keys, missing]);

        Assert.Equal(":3", await client.ReadAsync());
        foreach (var key in keys)
        {
            Assert.All(proxy.CopiesOf(key), copy => Assert.Null(proxy.Backends[copy].Get(key)));
        }
    }
}
