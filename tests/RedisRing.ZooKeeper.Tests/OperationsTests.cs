using System.Text;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class OperationsTests(StandaloneZooKeeper zk)
{
    private static readonly byte[] s_hello = Encoding.UTF8.GetBytes("hello");

    [Fact]
    public async Task CreatedNodeReadsBackWithItsDataAndStat()
    {
        await using var client = await zk.ConnectFreshAsync();
        var path = await client.CreateAsync("/a", s_hello);
        var (data, stat) = await client.GetDataAsync("/a");
        Assert.Equal("/a", path);
        Assert.Equal(s_hello, data);
        Assert.Equal(0, stat.Version);
        Assert.Equal(5, stat.DataLength);
        Assert.Equal(0, stat.EphemeralOwner);
        Assert.True(stat.CreatedZxid > 0);
    }
}
