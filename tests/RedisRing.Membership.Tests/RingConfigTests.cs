using System.Text;
using RedisRing.Ring;

namespace RedisRing.Membership.Tests;

public sealed class RingConfigTests
{
    [Fact]
    public void Config_survives_a_JSON_round_trip()
    {
        var config = new RingConfig(3, "");
        Assert.True(RingConfig.TryParse(config.ToJson(), out var back, out var error), error);
        Assert.Equal(config, back);
    }

    [Theory]
    [InlineData("{}", "replicas")]
    [InlineData("""{"replicas":0}""", "replicas")]
    [InlineData("""{"replicas":2,"hash":"md5"}""", "hash")]
    [InlineData("""{"replicas":2,"distribution":"modula"}""", "distribution")]
    [InlineData("""{"replicas":2,"hashTag":"{"}""", "hashTag")]
    [InlineData("{", "JSON")]
    [InlineData("""{"replicas":"2"}""", "replicas")]
    [InlineData("""{"replicas":2,"hash":5}""", "hash")]
    public void Unsupported_parameters_are_rejected(string json, string reasonPart)
    {
        Assert.False(RingConfig.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Replicas_outside_the_ring_rule_are_rejected_with_the_rings_words(int replicas)
    {
        Assert.False(RingConfig.TryParse(new RingConfig(replicas, "{}").ToJson(), out _, out var error));
        Assert.Equal($"\"replicas\" {RingOptions.CheckReplicas(replicas)}", error);
        Assert.Equal($"\"replicas\" must be an integer in 1..16, not {replicas}", error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Replicas_at_the_bounds_of_the_ring_rule_are_accepted(int replicas)
    {
        Assert.True(RingConfig.TryParse(new RingConfig(replicas, "{}").ToJson(), out var config, out var error), error);
        Assert.Equal(replicas, config.Replicas);
    }

    [Theory]
    [InlineData("prod", true)]
    [InlineData("a.b-c_d", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    public void Cluster_names_are_single_znode_names(string name, bool valid) => Assert.Equal(valid, ClusterLayout.IsValidClusterName(name));

    [Fact]
    public void Layout_paths_follow_the_documented_tree()
    {
        var layout = new ClusterLayout("prod");
        Assert.Equal("/redisring/prod/config", layout.Config);
        Assert.Equal("/redisring/prod/nodes/10.0.0.1:6379", layout.Node(new NodeAddress("10.0.0.1", 6379)));
        Assert.Equal("/redisring/prod/proxies/10.0.0.9:6380", layout.Proxy("10.0.0.9:6380"));
        Assert.Equal("/redisring/prod/live/10.0.0.1:6379", layout.Liveness(new NodeAddress("10.0.0.1", 6379)));
    }

    [Fact]
    public void Credential_never_shows_its_password() => Assert.Equal("registrar:***", DigestCredential.Parse("registrar:s3cret").ToString());
}
