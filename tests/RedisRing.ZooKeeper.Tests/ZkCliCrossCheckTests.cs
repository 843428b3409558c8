using System.Text;
using RedisRing.Testing;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

/// <summary>Kazoo-style cross-check against ZooKeeper's own Java client (zkCli.sh).</summary>
[Collection(StandaloneCollection.Name)]
public sealed class ZkCliCrossCheckTests(StandaloneZooKeeper zk)
{
    [Fact]
    public async Task Nodes_written_by_either_client_read_back_in_the_other()
    {
        var root = "/cross-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await zk.ConnectAsync();
        await client.CreateAsync(root);
        await client.CreateAsync(root + "/ours", Encoding.UTF8.GetBytes("from-dotnet"));
        await client.CreateAsync(root + "/seq-", mode: CreateMode.PersistentSequential);

        var get = await ZooKeeperCli.RunAsync(zk.Server.Endpoint, "get", root + "/ours");
        Assert.Contains("\nfrom-dotnet\n", get.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var ls = await ZooKeeperCli.RunAsync(zk.Server.Endpoint, "ls", root);
        Assert.Contains("[ours, seq-0000000001]", ls, StringComparison.Ordinal);

        var create = await ZooKeeperCli.RunAsync(zk.Server.Endpoint, "create", root + "/theirs", "from-java");
        Assert.Contains("Created " + root + "/theirs", create, StringComparison.Ordinal);
        var (data, stat) = await client.GetDataAsync(root + "/theirs");
        Assert.Equal("from-java", Encoding.UTF8.GetString(data));
        Assert.Equal(9, stat.DataLength);
    }
}
