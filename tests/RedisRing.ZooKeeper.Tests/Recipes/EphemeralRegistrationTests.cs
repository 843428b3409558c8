using System.Text;
using RedisRing.ZooKeeper.Recipes;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Recipes;

[Collection(StandaloneCollection.Name)]
public sealed class EphemeralRegistrationTests(StandaloneZooKeeper zk)
{
    private static readonly byte[] s_me = Encoding.UTF8.GetBytes("10.0.0.1:6379");

    [Fact]
    public async Task Registration_creates_its_node_with_parents_and_deletes_it_on_dispose()
    {
        await using var client = await zk.ConnectFreshAsync();
        var registration = await EphemeralRegistration.StartAsync(client, "/members/a/b", s_me);
        Assert.True(registration.IsRegistered);
        var (data, stat) = await client.GetDataAsync("/members/a/b");
        Assert.Equal(s_me, data);
        Assert.Equal(client.SessionId, stat.EphemeralOwner);

        await registration.DisposeAsync();
        Assert.False(registration.IsRegistered);
        Assert.Null(await client.ExistsAsync("/members/a/b"));
    }

    [Fact]
    public async Task Registration_waits_out_a_node_held_by_another_session_then_takes_it()
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using (var root = await zk.ConnectAsync())
        {
            await root.CreateAsync(chroot);
        }

        var squatter = await zk.ConnectAsync(chroot);
        await squatter.CreateAsync("/node", Encoding.UTF8.GetBytes("old"), CreateMode.Ephemeral);
        await using var client = await zk.ConnectAsync(chroot);
        var starting = EphemeralRegistration.StartAsync(client, "/node", s_me);
        await Task.Delay(300);
        Assert.False(starting.IsCompleted);

        await squatter.CloseAsync();
        await using var registration = await starting.WaitAsync(TimeSpan.FromSeconds(10));
        var (data, stat) = await client.GetDataAsync("/node");
        Assert.Equal(s_me, data);
        Assert.Equal(client.SessionId, stat.EphemeralOwner);
    }

    [Fact]
    public async Task Registration_comes_back_when_its_node_is_deleted_and_keeps_updated_data()
    {
        await using var client = await zk.ConnectFreshAsync();
        await using var registration = await EphemeralRegistration.StartAsync(client, "/node", s_me);
        var updated = Encoding.UTF8.GetBytes("draining");
        await registration.UpdateDataAsync(updated);
        await client.DeleteAsync("/node");
        await WaitForAsync(async () => await client.ExistsAsync("/node") is not null);
        Assert.Equal(updated, (await client.GetDataAsync("/node")).Data);
        Assert.True(registration.IsRegistered);
    }

    internal static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
