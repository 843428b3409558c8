using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Watches;

[Collection(StandaloneCollection.Name)]
public sealed class WatchTests(StandaloneZooKeeper zk)
{
    private static readonly byte[] s_one = [1];

    [Fact]
    public async Task Data_watch_fires_once_for_several_changes()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a");
        await client.CreateAsync("/sentinel");
        var recorder = new EventRecorder();
        await client.GetDataAsync("/a", recorder.Watcher);
        await client.SetDataAsync("/a", s_one);
        await client.SetDataAsync("/a", s_one);

        // Events come in order: once the sentinel's arrives, a second /a event would have too.
        await client.ExistsAsync("/sentinel", recorder.Watcher);
        await client.DeleteAsync("/sentinel");
        var events = await recorder.WaitForAsync(2);
        Assert.Equal([new WatchedEvent(WatchEventType.NodeDataChanged, "/a"), new WatchedEvent(WatchEventType.NodeDeleted, "/sentinel")], events);
    }

    [Fact]
    public async Task Watch_events_arrive_in_the_order_of_the_changes()
    {
        await using var client = await zk.ConnectFreshAsync();
        var recorder = new EventRecorder();
        var names = Enumerable.Range(0, 20).Select(i => $"/n{i}").ToList();
        foreach (var name in names)
        {
            await client.CreateAsync(name);
            await client.GetDataAsync(name, recorder.Watcher);
        }

        foreach (var name in names.AsEnumerable().Reverse())
        {
            await client.SetDataAsync(name, s_one);
        }

        var events = await recorder.WaitForAsync(names.Count);
        Assert.Equal(names.AsEnumerable().Reverse(), events.Select(e => e.Path));
    }

    [Fact]
    public async Task Exists_watch_on_a_missing_node_fires_when_it_is_created()
    {
        await using var client = await zk.ConnectFreshAsync();
        var recorder = new EventRecorder();
        Assert.Null(await client.ExistsAsync("/later", recorder.Watcher));
        await client.CreateAsync("/later");
        Assert.Equal([new WatchedEvent(WatchEventType.NodeCreated, "/later")], await recorder.WaitForAsync(1));
    }

    [Fact]
    public async Task Child_watch_fires_on_a_new_child_and_on_deletion_of_the_parent()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/p");
        var recorder = new EventRecorder();
        await client.GetChildrenAsync("/p", recorder.Watcher);
        await client.CreateAsync("/p/c");
        await recorder.WaitForAsync(1);
        await client.GetChildrenAsync("/p", recorder.Watcher);
        await client.DeleteAsync("/p/c");
        await client.GetChildrenAsync("/p", recorder.Watcher);
        await client.DeleteAsync("/p");
        Assert.Equal(
            [
                new WatchedEvent(WatchEventType.NodeChildrenChanged, "/p"),
                new WatchedEvent(WatchEventType.NodeChildrenChanged, "/p"),
                new WatchedEvent(WatchEventType.NodeDeleted, "/p"),
            ],
            await recorder.WaitForAsync(3));
    }

    [Fact]
    public async Task One_watcher_set_twice_on_a_path_hears_the_event_once()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a");
        var recorder = new EventRecorder();
        await client.GetDataAsync("/a", recorder.Watcher);
        await client.ExistsAsync("/a", recorder.Watcher);
        var other = new EventRecorder();
        await client.GetDataAsync("/a", other.Watcher);
        await client.SetDataAsync("/a", s_one);
        await other.WaitForAsync(1);
        await client.CreateAsync("/b");
        await client.ExistsAsync("/b", recorder.Watcher);
        await client.DeleteAsync("/b");
        Assert.Equal(["/a", "/b"], (await recorder.WaitForAsync(2)).Select(e => e.Path));
    }

    [Fact]
    public async Task Persistent_recursive_watch_sees_every_change_below_its_path()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/r");
        var recorder = new EventRecorder();
        await client.AddWatchAsync("/r", AddWatchMode.PersistentRecursive, recorder.Watcher);
        await client.CreateAsync("/r/a");
        await client.CreateAsync("/r/a/b");
        await client.SetDataAsync("/r/a/b", s_one);
        await client.SetDataAsync("/r/a/b", s_one);
        await client.DeleteAsync("/r/a/b");
        await client.SetDataAsync("/r", s_one);
        await client.CreateAsync("/outside");
        Assert.Equal(
            [
                new WatchedEvent(WatchEventType.NodeCreated, "/r/a"),
                new WatchedEvent(WatchEventType.NodeCreated, "/r/a/b"),
                new WatchedEvent(WatchEventType.NodeDataChanged, "/r/a/b"),
                new WatchedEvent(WatchEventType.NodeDataChanged, "/r/a/b"),
                new WatchedEvent(WatchEventType.NodeDeleted, "/r/a/b"),
                new WatchedEvent(WatchEventType.NodeDataChanged, "/r"),
            ],
            await recorder.WaitForAsync(6));
    }

    [Fact]
    public async Task Persistent_watch_keeps_firing_until_removed()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/p");
        var recorder = new EventRecorder();
        await client.AddWatchAsync("/p", AddWatchMode.Persistent, recorder.Watcher);
        await client.SetDataAsync("/p", s_one);
        await client.CreateAsync("/p/child");
        await client.SetDataAsync("/p/child", s_one); // below the node: not for a non-recursive watch
        await client.SetDataAsync("/p", s_one);
        await recorder.WaitForAsync(3);

        await client.RemoveWatchAsync("/p", AddWatchMode.Persistent, recorder.Watcher);
        await client.SetDataAsync("/p", s_one);
        var sentinel = new EventRecorder();
        await client.ExistsAsync("/p", sentinel.Watcher);
        await client.SetDataAsync("/p", s_one);
        await sentinel.WaitForAsync(1);
        Assert.Equal(
            [
                new WatchedEvent(WatchEventType.NodeDataChanged, "/p"),
                new WatchedEvent(WatchEventType.NodeChildrenChanged, "/p"),
                new WatchedEvent(WatchEventType.NodeDataChanged, "/p"),
            ],
            recorder.Events);
    }

    [Fact]
    public async Task A_failing_watcher_does_not_stop_later_events()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a");
        await client.CreateAsync("/b");
        var recorder = new EventRecorder();
        await client.GetDataAsync("/a", _ => throw new InvalidOperationException("watcher bug"));
        await client.GetDataAsync("/b", recorder.Watcher);
        await client.SetDataAsync("/a", s_one);
        await client.SetDataAsync("/b", s_one);
        Assert.Equal("/b", (await recorder.WaitForAsync(1))[0].Path);
    }
}
