using System.Text;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Commands whose effect depends on the node (XADD *, XAUTOCLAIM, XCLAIM) leave every copy equal:
/// they run on the first copy and the others get the explicit result (issue 16, point 4).
/// </summary>
public sealed class DeterministicCopiesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisRingCluster _cluster = null!;
    private HashRing _ring = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisRingCluster.StartAsync(output);
        _ring = HashRing.Create([.. _cluster.Nodes.Select(n => RingNode.FromEndpoint("127.0.0.1", n.Port))], new RingOptions { Replicas = 2 });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IReadOnlyList<RedisServer> CopiesOf(string key) => [.. _ring.Locate(Encoding.UTF8.GetBytes(key)).Writes.ToArray().Select(i => _cluster.Nodes[i])];

    [Fact]
    public async Task Xadd_with_an_automatic_id_gives_every_copy_the_same_ids()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        // Pipelined, so that the copies run them at slightly different times (and milliseconds).
        for (var i = 0; i < 300; i++)
        {
            await client.SendAsync("XADD", "events", "MAXLEN", "~", "1000", "*", "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var reply = await client.ReadReplyAsync();
            Assert.StartsWith("$", reply, StringComparison.Ordinal);
            ids.Add(reply.Split("\r\n")[1]);
        }

        var copies = CopiesOf("events");
        var first = await copies[0].CommandAsync("XRANGE", "events", "-", "+");
        Assert.Equal(first, await copies[1].CommandAsync("XRANGE", "events", "-", "+"));
        Assert.Contains(ids[^1], first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xautoclaim_claims_the_same_entries_on_every_copy_whatever_their_idle_times_there()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"));
        var id = (await client.CommandAsync("XADD", "jobs", "*", "job", "1")).Split("\r\n")[1];
        Assert.StartsWith("*1\r\n", await client.CommandAsync("XREADGROUP", "GROUP", "workers", "alice", "STREAMS", "jobs", ">"), StringComparison.Ordinal);

        // The copies disagree on how long the entry has been idle (each measures its own
        // delivery time): long on the first copy, fresh on the other.
        var copies = CopiesOf("jobs");
        await copies[0].CommandAsync("XCLAIM", "jobs", "workers", "alice", "0", id, "IDLE", "100000");
        await copies[1].CommandAsync("XCLAIM", "jobs", "workers", "alice", "0", id, "IDLE", "0");

        var claimed = await client.CommandAsync("XAUTOCLAIM", "jobs", "workers", "bob", "50000", "0", "JUSTID");
        Assert.Contains(id, claimed, StringComparison.Ordinal);
        foreach (var copy in copies)
        {
            var pending = await copy.CommandAsync("XPENDING", "jobs", "workers", "-", "+", "10");
            Assert.Contains("bob", pending, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", pending, StringComparison.Ordinal);
        }
    }
}
