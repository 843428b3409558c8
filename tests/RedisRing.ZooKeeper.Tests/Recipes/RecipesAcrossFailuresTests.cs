using System.Text;
using RedisRing.ZooKeeper.Recipes;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Recipes;

[Collection(EnsembleCollection.Name)]
public sealed class RecipesAcrossFailuresTests(SharedEnsemble zk)
{
    [Fact]
    public async Task Registration_is_recreated_on_a_new_session_after_the_server_expired_the_old_one()
    {
        var path = "/registry-" + Guid.NewGuid().ToString("N")[..8] + "/me";
        var member = await zk.FollowerAsync();
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(2));
        var states = new StateRecorder(client);
        await using var registration = await EphemeralRegistration.StartAsync(client, path, Encoding.UTF8.GetBytes("me"));
        var oldSession = client.SessionId;
        await using var observer = await zk.ConnectAsync(zk.Ensemble.ConnectStringWithout(member));
        try
        {
            // The client's only member dies; the others expire the session and its node.
            member.Kill();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (await observer.ExistsAsync(path) is not null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the ensemble did not expire the session");
                await Task.Delay(100);
            }
        }
        finally
        {
            await zk.RestoreAsync();
        }

        // Back: the server says expired; a new session, and the node again, owned by it.
        await states.WaitForAsync(ZooKeeperState.Expired, TimeSpan.FromSeconds(30));
        await registration.WaitRegisteredAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(oldSession, client.SessionId);
        Assert.Equal(client.SessionId, (await observer.ExistsAsync(path))!.EphemeralOwner);
    }

    [Fact]
    public async Task Leader_gives_up_on_suspension_and_leads_again_after_reconnecting_to_its_session()
    {
        var member = zk.Ensemble.Members[2];
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(20));
        var changes = new List<bool>();
        await using var election = LeaderElection.Start(client, "/election-" + Guid.NewGuid().ToString("N")[..8]);
        await election.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(10));
        election.LeadershipChanged += (_, leader) =>
        {
            lock (changes)
            {
                changes.Add(leader);
            }
        };
        var session = client.SessionId;

        try
        {
            member.Kill();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (election.IsLeader)
            {
                Assert.True(DateTime.UtcNow < deadline, "still leader while disconnected");
                await Task.Delay(20);
            }

            Assert.Equal(ZooKeeperState.Disconnected, client.State);
        }
        finally
        {
            await zk.RestoreAsync();
        }

        await election.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(session, client.SessionId);
        lock (changes)
        {
            Assert.Equal([false, true], changes);
        }
    }

    [Fact]
    public async Task Children_cache_catches_up_with_changes_made_while_its_server_was_down()
    {
        var folder = "/cache-" + Guid.NewGuid().ToString("N")[..8];
        var member = await zk.FollowerAsync();
        await using var client = await zk.ConnectAsync(member.Endpoint, TimeSpan.FromSeconds(20));
        await using var other = await zk.ConnectAsync(zk.Ensemble.ConnectStringWithout(member));
        await other.CreateAsync(folder);
        await other.CreateAsync(folder + "/a", Encoding.UTF8.GetBytes("1"));
        await using var cache = await ChildrenCache.StartAsync(client, folder);
        Assert.Equal(["a"], cache.Current.Children.Keys);

        // A follower dies (the others keep serving: no election), and comes back to a changed folder.
        try
        {
            member.Kill();
            await other.CreateAsync(folder + "/b", Encoding.UTF8.GetBytes("2"));
            await other.SetDataAsync(folder + "/a", Encoding.UTF8.GetBytes("1bis"));
        }
        finally
        {
            await zk.RestoreAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(cache.Current.Children.Count == 2 && Encoding.UTF8.GetString(cache.Current.Children["a"].Data) == "1bis"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the cache did not catch up");
            await Task.Delay(50);
        }

        Assert.Equal("2", Encoding.UTF8.GetString(cache.Current.Children["b"].Data));
    }
}
