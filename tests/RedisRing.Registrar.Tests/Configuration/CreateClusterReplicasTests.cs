using RedisRing.Registrar.Commands;
using RedisRing.Ring;

namespace RedisRing.Registrar.Tests.Configuration;

/// <summary>create-cluster (ringctl's, run by the registrar) takes a replica count by the ring's one rule, refused before ZooKeeper is contacted.</summary>
public sealed class CreateClusterReplicasTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("100")]
    [InlineData("two")]
    public async Task A_replica_count_outside_the_ring_rule_is_refused(string replicas)
    {
        // Nothing listens on port 1: a command that got as far as connecting would fail differently (exit 2 after a timeout, another message).
        string[] args = ["--zookeeper", "127.0.0.1:1", "--cluster", "prod", "--zk-auth", "registrar:s3cret", "--proxy-auth", "proxy:s3cret",
            "--replicas", replicas, "--node", "127.0.0.1:7001"];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ClusterCommands.RunAsync("create-cluster", args, output, error, interactive: false, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Equal("ringctl: --replicas must be " + RingOptions.ReplicasRule, error.ToString().Split('\n')[0]);
        Assert.StartsWith("ringctl: --replicas must be an integer in 1..16", error.ToString(), StringComparison.Ordinal);
    }
}
