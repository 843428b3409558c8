using System.Text;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class MultiTests(StandaloneZooKeeper zk)
{
    private static readonly byte[] s_data = Encoding.UTF8.GetBytes("v");

    [Fact]
    public async Task Transaction_applies_every_operation_and_returns_their_results()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/old");
        await client.CreateAsync("/keep");
        var results = await client.MultiAsync(
        [
            Op.Create("/new", s_data),
            Op.Create("/seq-", mode: CreateMode.PersistentSequential, data: s_data),
            Op.SetData("/keep", s_data, version: 0),
            Op.Check("/keep", version: 1),
            Op.Delete("/old"),
        ]);

        Assert.Equal("/new", Assert.IsType<OpResult.Created>(results[0]).Path);
        Assert.StartsWith("/seq-00000", Assert.IsType<OpResult.Created>(results[1]).Path, StringComparison.Ordinal);
        Assert.Equal(1, Assert.IsType<OpResult.DataSet>(results[2]).Stat.Version);
        Assert.IsType<OpResult.Checked>(results[3]);
        Assert.IsType<OpResult.Deleted>(results[4]);
        Assert.Null(await client.ExistsAsync("/old"));
        Assert.Equal(s_data, (await client.GetDataAsync("/new")).Data);
    }

    [Fact]
    public async Task Failed_transaction_applies_nothing_and_reports_each_operation()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/keep");
        var failure = await Assert.ThrowsAsync<MultiOperationException>(() => client.MultiAsync(
        [
            Op.Create("/new", s_data),
            Op.Check("/keep", version: 5),
            Op.Delete("/keep"),
        ]));

        Assert.Equal(ErrorCode.BadVersion, failure.Code);
        Assert.Equal(1, failure.FailedIndex);
        Assert.Equal(
            [new OpResult.Error(ErrorCode.Ok), new OpResult.Error(ErrorCode.BadVersion), new OpResult.Error(ErrorCode.RuntimeInconsistency)],
            failure.Results);
        Assert.Null(await client.ExistsAsync("/new"));
        Assert.NotNull(await client.ExistsAsync("/keep"));
    }
}
