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
        await using var client = await ConnectedToAFollowerAsync();
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

        try
        {
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
        }
        finally
        {
            // Whatever failed above, the next test of the collection gets the whole ensemble.
            await zk.RestoreAsync();
        }
    }

    /// <summary>
    /// A client of the whole ensemble that happens to be connected to a follower (the client
    /// picks its server at random): killing that member then leaves a working quorum with a
    /// leader, so the move to another member is all that happens.
    /// </summary>
    private async Task<ZooKeeperClient> ConnectedToAFollowerAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var client = await zk.ConnectAsync();
            if (await zk.Ensemble.MemberAt(client.ConnectedServer!).ModeAsync() == "follower")
            {
                return client;
            }

            await client.DisposeAsync();
        }

        throw new InvalidOperationException("20 connections in a row went to the leader");
    }

    [Fact]
    public async Task Change_made_while_the_client_was_disconnected_fires_after_reconnect()
    {
        var root = "/offline-" + Guid.NewGuid().ToString("N")[..8];
        var member = await zk.FollowerAsync();
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(20));
        var states = new StateRecorder(client);
        await using var other = await zk.ConnectAsync(zk.Ensemble.ConnectStringWithout(member));
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
        try
        {
            member.Kill();
            await states.WaitForAsync(ZooKeeperState.Disconnected);
            await other.SetDataAsync(root + "/data", s_one);
            await other.DeleteAsync(root + "/gone");
            await other.CreateAsync(root + "/later");
        }
        finally
        {
            await zk.RestoreAsync();
        }

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
    public async Task Client_keeps_its_session_through_a_whole_ensemble_outage_longer_than_the_session_timeout()
    {
        // Sessions are part of ZooKeeper's replicated state: an ensemble that comes back gives
        // each one a full timeout again. A client that gave up on its own would lose its
        // ephemeral nodes for nothing.
        var path = "/outage-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromSeconds(4));
        var states = new StateRecorder(client);
        await client.CreateAsync(path, mode: CreateMode.Ephemeral);
        var sessionId = client.SessionId;
        try
        {
            zk.Ensemble.KillAll();
            await states.WaitForAsync(ZooKeeperState.Disconnected);

            // An operation during the outage fails after one round of attempts, not never.
            var attempt = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/"));
            Assert.True(attempt.Elapsed < TimeSpan.FromSeconds(10), $"an operation waited {attempt.Elapsed} for an ensemble that is down");

            await Task.Delay(TimeSpan.FromSeconds(6) - attempt.Elapsed);
            Assert.Equal(ZooKeeperState.Disconnected, client.State);
        }
        finally
        {
            await zk.RestoreAsync();
        }

        await client.WaitConnectedAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(sessionId, client.SessionId);
        Assert.DoesNotContain(ZooKeeperState.Expired, states.States);
        await using var observer = await zk.ConnectAsync();
        Assert.Equal(sessionId, (await observer.ExistsAsync(path))!.EphemeralOwner);
    }

    [Fact]
    public async Task Expiry_is_the_servers_answer_when_the_client_returns_after_the_session_timeout()
    {
        var path = "/expiry-" + Guid.NewGuid().ToString("N")[..8];
        var member = await zk.FollowerAsync();
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(2));
        var states = new StateRecorder(client);
        await client.CreateAsync(path, mode: CreateMode.Ephemeral);
        var oldSession = client.SessionId;
        await using var observer = await zk.ConnectAsync(zk.Ensemble.ConnectStringWithout(member));
        try
        {
            // The only member the client knows dies; the rest of the ensemble expires the session.
            member.Kill();
            await states.WaitForAsync(ZooKeeperState.Disconnected);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (await observer.ExistsAsync(path) is not null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the ensemble did not expire the session");
                await Task.Delay(100);
            }

            // The client cannot know yet: it keeps offering its session.
            await Task.Delay(1000);
            Assert.Equal(ZooKeeperState.Disconnected, client.State);
        }
        finally
        {
            await zk.RestoreAsync();
        }

        await states.WaitForAsync(ZooKeeperState.Expired, TimeSpan.FromSeconds(30));
        Assert.Equal([ZooKeeperState.Disconnected, ZooKeeperState.Expired], states.States.TakeLast(2));
        await Assert.ThrowsAsync<SessionExpiredException>(() => client.ExistsAsync("/"));

        // The application decides: a new session, with nothing of the old one.
        await client.RenewSessionAsync();
        Assert.Equal(ZooKeeperState.Connected, client.State);
        Assert.NotEqual(oldSession, client.SessionId);
        Assert.NotNull(await client.ExistsAsync("/"));
    }
}
