using RedisRing.Membership;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.RingSources;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>The cluster's ring settings win over the proxy's; only values the operator chose and that differ are reported.</summary>
public sealed class ClusterConfigOverridesTests
{
    private static readonly string[] ZooKeeperArgs = ["--zookeeper", "127.0.0.1:2181", "--cluster", "prod", "--zk-auth", "proxy:s3cret"];

    [Fact]
    public void An_explicit_replicas_flag_that_differs_from_the_cluster_is_reported()
    {
        var options = OptionsLoader.Load([.. ZooKeeperArgs, "--replicas", "3"], _ => null);
        var line = Assert.Single(ClusterConfigOverrides.Find(options, new RingConfig(2, "{}")));
        Assert.Equal("replicas 3 is overridden by the cluster's 2", line);
    }

    [Fact]
    public void An_explicit_hash_tag_from_the_config_file_that_differs_is_reported()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"zookeeper": "127.0.0.1:2181", "cluster": "prod", "zkAuth": "proxy:s3cret", "hashTag": "[]"}""");
            var options = OptionsLoader.Load(["--config", path], _ => null);
            var line = Assert.Single(ClusterConfigOverrides.Find(options, new RingConfig(2, "{}")));
            Assert.Equal("hash tag \"[]\" is overridden by the cluster's \"{}\"", line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Defaults_and_equal_values_are_not_reported()
    {
        var defaults = OptionsLoader.Load(ZooKeeperArgs, _ => null);
        Assert.Empty(ClusterConfigOverrides.Find(defaults, new RingConfig(5, "[]")));

        var same = OptionsLoader.Load([.. ZooKeeperArgs, "--replicas", "2", "--hash-tag", "{}"], _ => null);
        Assert.Empty(ClusterConfigOverrides.Find(same, new RingConfig(2, "{}")));
        Assert.Empty(ClusterConfigOverrides.Find(same, null));
    }
}
