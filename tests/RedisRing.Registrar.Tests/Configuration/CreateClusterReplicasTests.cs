using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Registrar.Commands;
using RedisRing.Registrar.Configuration;
using RedisRing.Ring;

namespace RedisRing.Registrar.Tests.Configuration;

/// <summary>create-cluster takes a replica count by the ring's one rule, refused before ZooKeeper is contacted.</summary>
public sealed class CreateClusterReplicasTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("100")]
    [InlineData("two")]
    public async Task A_replica_count_outside_the_ring_rule_is_refused(string replicas)
    {
        // Nothing listens on port 1: a command that got as far as connecting would fail differently.
        string[] args = ["--zookeeper", "127.0.0.1:1", "--cluster", "prod", "--zk-auth", "registrar:s3cret", "--proxy-auth", "proxy:s3cret",
            "--replicas", replicas, "--node", "127.0.0.1:7001"];
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => CreateClusterCommand.RunAsync(args, NullLoggerFactory.Instance, CancellationToken.None));
        Assert.Equal("--replicas must be " + RingOptions.ReplicasRule, error.Message);
        Assert.Equal("--replicas must be an integer in 1..16", error.Message);
    }
}
