using System.Collections.Concurrent;
using System.Text;
using RedisRing.ZooKeeper.Recipes;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Recipes;

[Collection(StandaloneCollection.Name)]
public sealed class ChildrenCacheTests(StandaloneZooKeeper zk)
{
    [Fact]
    public async Task Cache_follows_children_and_their_data()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/members");
        await client.CreateAsync("/members/a", Encoding.UTF8.GetBytes("1"));
        await using var cache = await ChildrenCache.StartAsync(client, "/members");
        var changes = new ConcurrentQueue<ChildrenChangedEventArgs>();
        cache.Changed += (_, e) => changes.Enqueue(e);
        Assert.Equal(["a"], cache.Current.Children.Keys);
        Assert.Equal("1", Text(cache.Current, "a"));

        await client.CreateAsync("/members/b", Encoding.UTF8.GetBytes("2"));
        await WaitForAsync(() => cache.Current.Children.ContainsKey("b"));
        Assert.Equal("2", Text(cache.Current, "b"));

        await client.SetDataAsync("/members/a", Encoding.UTF8.GetBytes("1bis"));
        await WaitForAsync(() => Text(cache.Current, "a") == "1bis");

        await client.DeleteAsync("/members/b");
        await WaitForAsync(() => !cache.Current.Children.ContainsKey("b"));

        // Every change was announced with the snapshots before and after. The event is raised
        // after the snapshot is swapped in, on the watch dispatcher: wait for the last one. A
        // refresh that finds nothing new swaps in an equal snapshot without an event, so the last
        // announced snapshot is compared by content.
        await WaitForAsync(() => changes.LastOrDefault() is { } last && last.Current.SameAs(cache.Current));
        Assert.True(changes.Count >= 3);
        foreach (var change in changes)
        {
            Assert.False(change.Previous.SameAs(change.Current));
        }

        Assert.True(changes.Last().Current.SameAs(cache.Current));
    }

    [Fact]
    public async Task Cache_of_a_missing_folder_is_empty_until_the_folder_appears()
    {
        await using var client = await zk.ConnectFreshAsync();
        await using var cache = await ChildrenCache.StartAsync(client, "/later");
        Assert.False(cache.Current.FolderExists);
        Assert.Empty(cache.Current.Children);

        await client.CreateAsync("/later");
        await client.CreateAsync("/later/x", Encoding.UTF8.GetBytes("x"));
        await WaitForAsync(() => cache.Current.Children.ContainsKey("x"));
        Assert.True(cache.Current.FolderExists);
    }

    [Fact]
    public async Task Snapshots_are_immutable()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/m");
        await using var cache = await ChildrenCache.StartAsync(client, "/m");
        var before = cache.Current;
        await client.CreateAsync("/m/n");
        await WaitForAsync(() => cache.Current.Children.Count == 1);
        Assert.Empty(before.Children);
    }

    private static string? Text(ChildrenSnapshot snapshot, string name) =>
        snapshot.Children.TryGetValue(name, out var child) ? Encoding.UTF8.GetString(child.Data) : null;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "cache did not catch up in time");
            await Task.Delay(20);
        }
    }
}
