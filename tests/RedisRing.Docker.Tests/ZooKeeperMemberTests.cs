using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>One member of the three-member ensemble stopped (the leader: the harder case): the other two keep a quorum.</summary>
[Collection(DockerStackCollection.Name)]
public sealed class ZooKeeperMemberTests(DockerStackFixture fixture)
{
    private static readonly string[] Members = ["zk1", "zk2", "zk3"];
    private readonly ComposeStack _stack = fixture.Stack;

    [DockerFact]
    public async Task With_the_zookeeper_leader_stopped_a_restarted_proxy_loads_the_ring_and_a_restarted_node_registers_again()
    {
        await _stack.WithDiagnosticsAsync(() => _stack.WaitServingAsync());
        var leader = await LeaderAsync();
        Assert.Equal(RespText.Ok, await RawRedis.CommandAsync(_stack.Proxy1Port, "SET", "zk:before", "1"));
        await _stack.ComposeAsync("stop", "-t", "5", leader);
        try
        {
            // The other two elect a leader and serve: their health check asks for a mode.
            foreach (var member in Members.Where(m => m != leader))
            {
                await _stack.WaitHealthyAsync(member, TimeSpan.FromSeconds(60));
            }

            // A node's container killed and started again: its registrar opens a new session and
            // writes its liveness (a quorum write); a proxy restarted now must read the whole ring
            // from the two members left before it serves.
            await _stack.WithDiagnosticsAsync(async () =>
            {
                await _stack.ComposeAsync("kill", "-s", "SIGKILL", "redis3");
                await _stack.ComposeAsync("start", "redis3");
                await _stack.WaitHealthyAsync("redis3", TimeSpan.FromSeconds(60));
                await _stack.ComposeAsync("restart", "-t", "5", "proxy2");
                await ComposeStack.WaitRingAsync(_stack.Proxy2Port, 3, TimeSpan.FromSeconds(90));
                await ComposeStack.WaitRingAsync(_stack.Proxy1Port, 3, TimeSpan.FromSeconds(60));
            });

            Assert.Equal(RespText.Bulk("1"), await RawRedis.CommandAsync(_stack.Proxy2Port, "GET", "zk:before"));
            Assert.Equal(RespText.Ok, await RawRedis.CommandAsync(_stack.Proxy2Port, "SET", "zk:during", "2"));
            Assert.Equal(RespText.Bulk("2"), await RawRedis.CommandAsync(_stack.Proxy1Port, "GET", "zk:during"));
        }
        finally
        {
            await _stack.ComposeAsync("start", leader);
            await _stack.WaitHealthyAsync(leader, TimeSpan.FromSeconds(90));
            await _stack.WaitHealthyAsync("proxy2", TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>The member whose `srvr` says Mode: leader.</summary>
    private async Task<string> LeaderAsync()
    {
        foreach (var member in Members)
        {
            var srvr = await _stack.DockerAsync("exec", await _stack.ContainerIdAsync(member), "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/2181 && printf srvr >&3 && cat <&3");
            if (srvr.Contains("Mode: leader", StringComparison.Ordinal))
            {
                return member;
            }
        }

        throw new InvalidOperationException("no ZooKeeper member says it leads");
    }
}
