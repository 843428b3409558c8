using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class MalformedInputTests(StandaloneZooKeeper zk)
{
    [Fact]
    public async Task Bad_paths_fail_before_anything_is_sent()
    {
        await using var client = await zk.ConnectFreshAsync();
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.GetDataAsync("no-slash"));
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.CreateAsync("/a/"));
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.CreateAsync("/a//b", mode: CreateMode.PersistentSequential));
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.DeleteAsync("/a/../b"));
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.ExistsAsync("/a\u0000"));
        ThrowsBeforeSending.Assert<InvalidPathException>(() => client.MultiAsync([Op.Check("/ok", 0), Op.Delete("bad")]));
        ThrowsBeforeSending.Assert<InvalidAclException>(() => client.CreateAsync("/a", acl: []));
        Assert.Null(await client.ExistsAsync("/ok"));
    }

    [Fact]
    public async Task Oversized_data_fails_before_anything_is_sent_and_the_connection_stays_usable()
    {
        await using var client = await zk.ConnectFreshAsync();
        var tooLarge = new byte[0x100000];
        var error = ThrowsBeforeSending.Assert<PacketTooLargeException>(() => client.CreateAsync("/big", tooLarge));
        Assert.Equal(0xfffff, error.Limit);
        ThrowsBeforeSending.Assert<PacketTooLargeException>(() => client.MultiAsync([Op.Create("/a", tooLarge)]));
        await client.CreateAsync("/small", new byte[10]);
        Assert.Equal(ZooKeeperState.Connected, client.State);
    }
}
