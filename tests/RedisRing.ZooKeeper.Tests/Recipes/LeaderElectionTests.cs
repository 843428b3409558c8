using RedisRing.ZooKeeper.Recipes;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Recipes;

[Collection(StandaloneCollection.Name)]
public sealed class LeaderElectionTests(StandaloneZooKeeper zk, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task First_candidate_leads_and_the_next_takes_over_when_it_leaves()
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using (var root = await zk.ConnectAsync())
        {
            await root.CreateAsync(chroot);
        }

        var log = new TestOutputLoggerFactory(output);
        await using var client1 = await zk.ConnectAsync(chroot, loggerFactory: log);
        await using var client2 = await zk.ConnectAsync(chroot, loggerFactory: log);
        await using var client3 = await zk.ConnectAsync(chroot, loggerFactory: log);
        var first = LeaderElection.Start(client1, "/election/proxy", loggerFactory: log);
        await first.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var second = LeaderElection.Start(client2, "/election/proxy", loggerFactory: log);
        await WaitForAsync(async () => (await client1.GetChildrenAsync("/election/proxy")).Children.Count == 2);

        // Started once the second candidate is in line, so that it queues behind it.
        await using var third = LeaderElection.Start(client3, "/election/proxy", loggerFactory: log);
        await WaitForAsync(async () => (await client1.GetChildrenAsync("/election/proxy")).Children.Count == 3);
        Assert.True(first.IsLeader);
        Assert.False(second.IsLeader);
        Assert.False(third.IsLeader);

        await first.DisposeAsync();
        await second.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(third.IsLeader);

        // A leader whose session ends hands over too.
        await client2.CloseAsync();
        await third.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsLeader);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
