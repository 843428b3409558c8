using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>The ZooKeeper settings: given on the command line or in the file, checked as a whole, the credential never echoed.</summary>
public sealed class OptionsLoaderZooKeeperTests
{
    [Fact]
    public void ZooKeeper_mode_needs_no_static_nodes()
    {
        var options = OptionsLoader.Load(["--zookeeper", "127.0.0.1:2181,127.0.0.1:2182", "--cluster", "prod", "--zk-auth", "proxy:s3cret",
            "--zk-session-timeout-ms", "3000", "--ring-debounce-ms", "50", "--announce", "proxy-1.example:6380"]);
        Assert.Empty(options.Nodes);
        var zookeeper = Assert.IsType<ZooKeeperOptions>(options.ZooKeeper);
        Assert.Equal("127.0.0.1:2181,127.0.0.1:2182", zookeeper.ConnectString);
        Assert.Equal("prod", zookeeper.Cluster);
        Assert.Equal("proxy:s3cret", zookeeper.Credential);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), zookeeper.SessionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), zookeeper.Debounce);
        Assert.Equal("proxy-1.example:6380", zookeeper.Announce);
    }

    [Fact]
    public void The_config_file_can_name_the_cluster()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"zookeeper": "zk1:2181", "cluster": "prod", "zkAuth": "proxy:s3cret", "ringDebounceMs": 0}""");
            var zookeeper = OptionsLoader.Load(["--config", path]).ZooKeeper!;
            Assert.Equal(("zk1:2181", "prod", TimeSpan.Zero), (zookeeper.ConnectString, zookeeper.Cluster, zookeeper.Debounce));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("need --zookeeper", "--cluster", "prod", "--zk-auth", "proxy:x")]
    [InlineData("needs --cluster", "--zookeeper", "zk:2181", "--zk-auth", "proxy:x")]
    [InlineData("bad cluster name", "--zookeeper", "zk:2181", "--cluster", "no/slash", "--zk-auth", "proxy:x")]
    [InlineData("proxy credential", "--zookeeper", "zk:2181", "--cluster", "prod")]
    [InlineData("USER:PASS", "--zookeeper", "zk:2181", "--cluster", "prod", "--zk-auth", "no-colon-secret")]
    [InlineData("not both", "--zookeeper", "zk:2181", "--cluster", "prod", "--zk-auth", "proxy:x", "--node", "127.0.0.1:7001")]
    [InlineData("bad --announce", "--zookeeper", "zk:2181", "--cluster", "prod", "--zk-auth", "proxy:x", "--announce", "no-port")]
    public void Incomplete_or_contradictory_settings_are_refused(string message, params string[] args)
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(args));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void The_credential_comes_from_the_environment_and_the_command_line_overrides_it()
    {
        string[] args = ["--zookeeper", "zk:2181", "--cluster", "prod"];
        var environment = new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = "proxy:from-env" };
        Assert.Equal("proxy:from-env", OptionsLoader.Load(args, environment.GetValueOrDefault).ZooKeeper!.Credential);
        Assert.Equal("proxy:from-flag", OptionsLoader.Load([.. args, "--zk-auth", "proxy:from-flag"], environment.GetValueOrDefault).ZooKeeper!.Credential);
    }

    [Fact]
    public void A_negative_debounce_is_refused_on_the_command_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(["--zookeeper", "zk:2181", "--cluster", "prod", "--zk-auth", "proxy:x", "--ring-debounce-ms", "-5"], _ => null));
        Assert.Equal("--ring-debounce-ms cannot be negative", error.Message);
    }

    [Fact]
    public void In_ZooKeeper_mode_replicas_given_by_the_user_are_marked_explicit()
    {
        var options = OptionsLoader.Load(["--zookeeper", "zk:2181", "--cluster", "prod", "--zk-auth", "proxy:x", "--replicas", "3"], _ => null);
        Assert.True(options.ReplicasSetExplicitly);
        Assert.False(options.HashTagSetExplicitly);
    }
}
