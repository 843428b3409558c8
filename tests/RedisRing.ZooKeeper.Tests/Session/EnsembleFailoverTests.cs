using System.Text;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Session;

[Collection(EnsembleCollection.Name)]
public sealed class EnsembleFailoverTests(SharedEnsemble zk)
{
    private static readonly byte[] s_one = [1];

    [Fact]
    public async Task Client_moves_to_another_member_keeping_its_session_ephemerals_watches_and_auth()
    {
        var root = "/failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        await client.AddDigestAuthAsync("carol", "pw");
        await client.CreateAsync(root);
        await client.CreateAsync(root + "/private", Encoding.UTF8.GetBytes("p"), acl: [Acl.Digest(Permissions.All, "carol", "pw")]);
        await client.CreateAsync(root + "/me", mode: CreateMode.Ephemeral);
        await client.CreateAsync(root + "/watched");
        var recorder = new EventRecorder();
        await client.GetDataAsync(root + "/watched", recorder.Watcher);
        var sessionId = client.SessionId;
        var first = client.ConnectedServer!;

        zk.Ensemble.MemberAt(first).Kill();
        await states.WaitForAsync(ZooKeeperState.Disconnected);
        await client.WaitConnectedAsync(TimeSpan.FromSeconds(20));

        Assert.NotEqual(first, client.ConnectedServer);
        Assert.Equal(sessionId, client.SessionId);
        Assert.Equal(ZooKeeperState.Connected, client.State);
        Assert.Equal(sessionId, (await client.ExistsAsync(root + "/me"))!.EphemeralOwner);
        Assert.Equal("p", Encoding.UTF8.GetString((await client.GetDataAsync(root + "/private")).Data));

        await using var other = await zk.ConnectAsync();
        Assert.Equal(sessionId, (await other.ExistsAsync(root + "/me"))!.EphemeralOwner);
        await other.SetDataAsync(root + "/watched", s_one);
        Assert.Equal([new WatchedEvent(WatchEventType.NodeDataChanged, root + "/watched")], await recorder.WaitForAsync(1));
        Assert.DoesNotContain(ZooKeeperState.Expired, states.States);

        await zk.RestoreAsync();
    }

    [Fact]
    public async Task Change_made_while_the_client_was_disconnected_fires_after_reconnect()
    {
        var root = "/offline-" + Guid.NewGuid().ToString("N")[..8];
        var member = zk.Ensemble.Members[0];
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(20));
        var states = new StateRecorder(client);
        await using var other = await zk.ConnectAsync(zk.Ensemble.Members[1].Endpoint);
        await client.CreateAsync(root);
        await client.CreateAsync(root + "/data");
        await client.CreateAsync(root + "/gone");
        var recorder = new EventRecorder();
        await client.GetDataAsync(root + "/data", recorder.Watcher);
        await client.ExistsAsync(root + "/gone", recorder.Watcher);
        await client.GetChildrenAsync(root, recorder.Watcher);
        Assert.Null(await client.ExistsAsync(root + "/later", recorder.Watcher));
        var sessionId = client.SessionId;

        // The client can only reach this member: while it is down, the others change the nodes.
        member.Kill();
        await states.WaitForAsync(ZooKeeperState.Disconnected);
        await other.SetDataAsync(root + "/data", s_one);
        await other.DeleteAsync(root + "/gone");
        await other.CreateAsync(root + "/later");
        await member.StartAsync();

        await client.WaitConnectedAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(sessionId, client.SessionId);
        var events = await recorder.WaitForAsync(4);
        Assert.Equal(
            new[]
            {
                new WatchedEvent(WatchEventType.NodeChildrenChanged, root),
                new WatchedEvent(WatchEventType.NodeCreated, root + "/later"),
                new WatchedEvent(WatchEventType.NodeDataChanged, root + "/data"),
                new WatchedEvent(WatchEventType.NodeDeleted, root + "/gone"),
            }.OrderBy(e => e.Path, StringComparer.Ordinal),
            events.OrderBy(e => e.Path, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Client_reports_expired_itself_when_no_member_answers_for_the_session_timeout()
    {
        await using var client = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromSeconds(2));
        var states = new StateRecorder(client);
        var recorder = new EventRecorder();
        await client.ExistsAsync("/", recorder.Watcher);
        try
        {
            zk.Ensemble.KillAll();
            await states.WaitForAsync(ZooKeeperState.Expired, TimeSpan.FromSeconds(15));
            // Members die one by one, so the client may hop once or twice before none is left.
            Assert.Equal(ZooKeeperState.Expired, states.States[^1]);
            Assert.Equal(ZooKeeperState.Disconnected, states.States[^2]);
            await Assert.ThrowsAsync<SessionExpiredException>(() => client.ExistsAsync("/"));
        }
        finally
        {
            await zk.RestoreAsync();
        }

        // The application decides: a new session, with nothing of the old one.
        var oldSession = client.SessionId;
        await client.RenewSessionAsync();
        Assert.Equal(ZooKeeperState.Connected, client.State);
        Assert.NotEqual(oldSession, client.SessionId);
        Assert.NotNull(await client.ExistsAsync("/"));
    }
}
