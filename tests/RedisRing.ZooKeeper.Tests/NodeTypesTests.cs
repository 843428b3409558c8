using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class NodeTypesTests(StandaloneZooKeeper zk)
{
    [Fact]
    public async Task Ttl_node_is_removed_by_the_server_after_its_ttl()
    {
        await using var client = await zk.ConnectFreshAsync();
        var path = await client.CreateAsync("/ttl", mode: CreateMode.PersistentWithTtl, ttl: TimeSpan.FromMilliseconds(300));
        var sequential = await client.CreateAsync("/ttl-", mode: CreateMode.PersistentSequentialWithTtl, ttl: TimeSpan.FromMilliseconds(300));
        Assert.Equal("/ttl-0000000001", sequential);
        Assert.NotNull(await client.ExistsAsync(path));
        await WaitGoneAsync(client, path);
        await WaitGoneAsync(client, sequential);
    }

    [Fact]
    public async Task Container_node_is_removed_once_its_last_child_is_gone()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/box", mode: CreateMode.Container);
        await client.CreateAsync("/box/item");
        await Task.Delay(300);
        Assert.NotNull(await client.ExistsAsync("/box"));
        await client.DeleteAsync("/box/item");
        await WaitGoneAsync(client, "/box");
    }

    [Fact]
    public async Task Ttl_is_required_exactly_for_the_ttl_modes()
    {
        await using var client = await zk.ConnectFreshAsync();
        ThrowsBeforeSending.Assert<ArgumentException>(() => client.CreateAsync("/a", mode: CreateMode.PersistentWithTtl));
        ThrowsBeforeSending.Assert<ArgumentException>(() => client.CreateAsync("/a", mode: CreateMode.Persistent, ttl: TimeSpan.FromSeconds(1)));
        ThrowsBeforeSending.Assert<ArgumentOutOfRangeException>(() => client.CreateAsync("/a", mode: CreateMode.PersistentWithTtl, ttl: TimeSpan.Zero));
        ThrowsBeforeSending.Assert<ArgumentOutOfRangeException>(() => client.CreateAsync("/a", mode: (CreateMode)42));
    }

    private static async Task WaitGoneAsync(ZooKeeperClient client, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await client.ExistsAsync(path) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} is still there");
            await Task.Delay(100);
        }
    }
}
