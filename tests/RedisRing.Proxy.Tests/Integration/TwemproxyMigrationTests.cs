using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// A twemproxy user switches to RedisRing without moving data: keys written through nutcracker
/// (fnv1a_64, ketama) are found through the proxy over the same server list.
/// </summary>
public sealed class TwemproxyMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Keys_written_through_nutcracker_are_read_through_the_proxy_from_the_same_nodes()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 4, replicas: 1);
        await using var nutcracker = await Nutcracker.StartAsync(output, cluster.Nodes.Select(n => $"{n.Endpoint}:1"));
        await using var viaNutcracker = await RespConnection.ConnectAsync(nutcracker.Port);
        await using var viaProxy = await RespConnection.ConnectAsync(cluster.ProxyPort);
        var keys = Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? $"{{tag{i % 50}}}:{i}" : $"user:{i}:\u00e9t\u00e9").ToList();
        foreach (var batch in keys.Chunk(500))
        {
            foreach (var key in batch)
            {
                await viaNutcracker.SendAsync("SET", key, "from-twemproxy:" + key);
            }

            foreach (var key in batch)
            {
                Assert.Equal("+OK\r\n", await viaNutcracker.ReadReplyAsync());
            }
        }

        var holders = new int[cluster.Nodes.Count];
        foreach (var batch in keys.Chunk(500))
        {
            foreach (var key in batch)
            {
                await viaProxy.SendAsync("GET", key);
            }

            foreach (var key in batch)
            {
                var value = "from-twemproxy:" + key;
                Assert.Equal($"${System.Text.Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n", await viaProxy.ReadReplyAsync());
            }
        }

        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            holders[i] = int.Parse((await cluster.Nodes[i].CommandAsync("DBSIZE"))[1..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        output.WriteLine("keys per node: " + string.Join(", ", holders));
        Assert.Equal(keys.Count, holders.Sum());
        Assert.All(holders, h => Assert.True(h > keys.Count / 10, "keys should spread over every node"));
    }
}
