using System.Text;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class OperationsTests(StandaloneZooKeeper zk)
{
    private static readonly byte[] s_hello = Encoding.UTF8.GetBytes("hello");
    private static readonly byte[] s_world = Encoding.UTF8.GetBytes("world");

    [Fact]
    public async Task Created_node_reads_back_with_its_data_and_stat()
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
        Assert.True(client.LastZxid >= stat.CreatedZxid);
    }

    [Fact]
    public async Task Set_data_bumps_the_version_and_rejects_a_stale_version()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a", s_hello);
        var stat = await client.SetDataAsync("/a", s_world, version: 0);
        Assert.Equal(1, stat.Version);
        var error = await Assert.ThrowsAsync<BadVersionException>(() => client.SetDataAsync("/a", s_hello, version: 0));
        Assert.Equal(ErrorCode.BadVersion, error.Code);
        Assert.Equal("/a", error.Path);
        Assert.Equal(s_world, (await client.GetDataAsync("/a")).Data);
    }

    [Fact]
    public async Task Exists_returns_stat_or_null()
    {
        await using var client = await zk.ConnectFreshAsync();
        Assert.Null(await client.ExistsAsync("/a"));
        await client.CreateAsync("/a", s_hello);
        var stat = await client.ExistsAsync("/a");
        Assert.NotNull(stat);
        Assert.Equal(5, stat.DataLength);
    }

    [Fact]
    public async Task Delete_removes_the_node_and_checks_its_version()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a");
        await client.SetDataAsync("/a", s_hello);
        await Assert.ThrowsAsync<BadVersionException>(() => client.DeleteAsync("/a", version: 0));
        await client.DeleteAsync("/a", version: 1);
        Assert.Null(await client.ExistsAsync("/a"));
    }

    [Fact]
    public async Task Server_errors_come_as_typed_exceptions()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/a");
        await client.CreateAsync("/a/b");
        await client.CreateAsync("/e", mode: CreateMode.Ephemeral);

        await Assert.ThrowsAsync<NoNodeException>(() => client.GetDataAsync("/missing"));
        await Assert.ThrowsAsync<NoNodeException>(() => client.CreateAsync("/missing/child"));
        await Assert.ThrowsAsync<NodeExistsException>(() => client.CreateAsync("/a"));
        await Assert.ThrowsAsync<NotEmptyException>(() => client.DeleteAsync("/a"));
        await Assert.ThrowsAsync<NoChildrenForEphemeralsException>(() => client.CreateAsync("/e/child"));
        await Assert.ThrowsAsync<NoNodeException>(() => client.DeleteAsync("/missing"));
        await Assert.ThrowsAsync<NoNodeException>(() => client.SetDataAsync("/missing", s_hello));
        await Assert.ThrowsAsync<NoNodeException>(() => client.GetChildrenAsync("/missing"));
        await Assert.ThrowsAsync<NoNodeException>(() => client.GetAclAsync("/missing"));
    }

    [Fact]
    public async Task Every_error_code_maps_to_its_own_exception_type()
    {
        foreach (var code in Enum.GetValues<ErrorCode>().Where(c => c != ErrorCode.Ok))
        {
            var exception = ZooKeeperException.Create(code, "/p");
            Assert.Equal(code, exception.Code);
            Assert.Equal(code + "Exception", exception.GetType().Name);
        }
    }

    [Fact]
    public async Task Children_are_listed_with_the_parent_stat()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/p");
        await client.CreateAsync("/p/x");
        await client.CreateAsync("/p/y");
        var (children, stat) = await client.GetChildrenAsync("/p");
        Assert.Equal(["x", "y"], children.Order(StringComparer.Ordinal));
        Assert.Equal(2, stat.NumChildren);
        Assert.Equal(2, stat.ChildVersion);
    }

    [Fact]
    public async Task Sequential_nodes_get_increasing_ten_digit_suffixes()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/q");
        var first = await client.CreateAsync("/q/item-", mode: CreateMode.PersistentSequential);
        var second = await client.CreateAsync("/q/item-", mode: CreateMode.EphemeralSequential);
        var third = await client.CreateAsync("/q/", mode: CreateMode.PersistentSequential);
        Assert.Equal("/q/item-0000000000", first);
        Assert.Equal("/q/item-0000000001", second);
        Assert.Equal("/q/0000000002", third);
    }

    [Fact]
    public async Task Ephemeral_node_belongs_to_the_session_and_goes_with_it()
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using var observer = await zk.ConnectAsync();
        await observer.CreateAsync(chroot);
        var owner = await zk.ConnectAsync(chroot);
        await owner.CreateAsync("/e", mode: CreateMode.Ephemeral);
        var stat = await observer.ExistsAsync(chroot + "/e");
        Assert.Equal(owner.SessionId, stat!.EphemeralOwner);

        var states = new StateRecorder(owner);
        await owner.CloseAsync();
        Assert.Equal(ZooKeeperState.Closed, owner.State);
        await states.WaitForAsync(ZooKeeperState.Closed);
        Assert.Equal([ZooKeeperState.Closed], states.States);
        Assert.Null(await observer.ExistsAsync(chroot + "/e"));
        await Assert.ThrowsAsync<ClientClosedException>(() => owner.ExistsAsync("/e"));
    }

    [Fact]
    public async Task Chroot_scopes_every_path_the_client_sees()
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using var root = await zk.ConnectAsync();
        await root.CreateAsync(chroot);
        await using var client = await zk.ConnectAsync(chroot);

        Assert.Equal("/n-0000000000", await client.CreateAsync("/n-", s_hello, CreateMode.PersistentSequential));
        Assert.Equal(s_hello, (await root.GetDataAsync(chroot + "/n-0000000000")).Data);
        Assert.Equal(["n-0000000000"], (await client.GetChildrenAsync("/")).Children);
    }

    [Fact]
    public async Task Sync_succeeds_and_pipelined_requests_answer_in_order()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/c", s_hello);
        await client.SyncAsync("/c");

        // Many requests in flight on one connection: each gets its own answer.
        var writes = Enumerable.Range(0, 200).Select(i => client.SetDataAsync("/c", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var stats = await Task.WhenAll(writes);
        Assert.Equal(Enumerable.Range(1, 200), stats.Select(s => s.Version));
        Assert.Equal("199", Encoding.UTF8.GetString((await client.GetDataAsync("/c")).Data));
    }

    [Fact]
    public async Task Largest_allowed_data_round_trips()
    {
        await using var client = await zk.ConnectFreshAsync();
        var data = new byte[1_000_000];
        Random.Shared.NextBytes(data);
        await client.CreateAsync("/big", data);
        Assert.Equal(data, (await client.GetDataAsync("/big")).Data);
    }

    [Fact]
    public async Task Cancelled_operation_stops_waiting_without_breaking_the_connection()
    {
        await using var client = await zk.ConnectFreshAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateAsync("/x", cancellationToken: cts.Token));
        Assert.Null(await client.ExistsAsync("/x"));
        await client.CreateAsync("/x");
        Assert.NotNull(await client.ExistsAsync("/x"));
    }
}
