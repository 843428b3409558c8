using RedisRing.Proxy.Configuration;
using RedisRing.Ring;

namespace RedisRing.Proxy.Tests.Unit;

public sealed class OptionsLoaderTests
{
    [Fact]
    public void Command_line_options_build_the_whole_configuration()
    {
        var options = OptionsLoader.Load(["--listen", "127.0.0.1:7000", "--node", "10.0.0.1:6379", "--node", "10.0.0.2:6380:3 redis-b", "--replicas", "3", "--hash-tag", "none", "--allow-admin", "flushall,CONFIG|SET", "--command-timeout-ms", "250"]);
        Assert.Equal(7000, options.Listen.Port);
        Assert.Equal([new NodeEndpoint("10.0.0.1", 6379, 1, null), new NodeEndpoint("10.0.0.2", 6380, 3, "redis-b")], options.Nodes);
        Assert.Equal("10.0.0.1:6379", options.Nodes[0].RingName);
        Assert.Equal("redis-b", options.Nodes[1].RingName);
        Assert.Equal(3, options.Replicas);
        Assert.Equal("", options.HashTag);
        Assert.True(options.AllowAdminCommands.SetEquals(["FLUSHALL", "CONFIG|SET"]));
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
    }

    [Fact]
    public void The_command_line_overrides_the_config_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { // comments are allowed
                  "listen": "127.0.0.1:7100",
                  "nodes": ["127.0.0.1:7001", "127.0.0.1:7002"],
                  "replicas": 1,
                  "maxBulkLength": 1024,
                }
                """);
            var options = OptionsLoader.Load(["--config", path, "--replicas", "2"]);
            Assert.Equal(7100, options.Listen.Port);
            Assert.Equal(2, options.Nodes.Count);
            Assert.Equal(2, options.Replicas);
            Assert.Equal(1024, options.Limits.MaxBulkLength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new[] { "--replicas", "2" }, "no backend nodes")]
    [InlineData(new[] { "--node", "hostonly" }, "expected host:port")]
    [InlineData(new[] { "--node", "h:0" }, "port must be 1-65535")]
    [InlineData(new[] { "--node", "h:1:0" }, "weight must be a positive integer")]
    [InlineData(new[] { "--node", "h:1", "--node", "h:1" }, "listed twice")]
    [InlineData(new[] { "--node", "h:1", "--listen", "nowhere" }, "bad listen address")]
    [InlineData(new[] { "--node", "h:1", "--hash-tag", "{" }, "must be two characters")]
    [InlineData(new[] { "--node", "h:1", "--allow-admin", "GET" }, "not an administrative command")]
    [InlineData(new[] { "--node", "h:1", "--max-clients", "0" }, "must be positive")]
    [InlineData(new[] { "--node", "h:1", "--replicas" }, "needs a value")]
    [InlineData(new[] { "--node", "h:1", "--config", "/nonexistent/file.json" }, "cannot read config file")]
    [InlineData(new[] { "--node", "h:1", "--max-clients", "many" }, "--max-clients must be an integer, not 'many'")]
    [InlineData(new[] { "--node", "h:1", "--client-idle-timeout-s", "-1" }, "--client-idle-timeout-s cannot be negative")]
    [InlineData(new[] { "--node", "h:1", "--bogus", "1" }, "unknown option '--bogus'")]
    public void Bad_configuration_is_refused_with_a_message_naming_the_problem(string[] args, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(args));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_setting_in_the_file_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "nodes": ["h:1"], "replica": 2 }""");
            var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(["--config", path]));
            Assert.Contains("unknown setting 'replica'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("100")]
    public void A_static_proxy_refuses_replicas_outside_the_rule_the_cluster_config_uses(string replicas)
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(["--node", "h:1", "--replicas", replicas], NoEnvironment));
        Assert.Equal("--replicas " + RingOptions.CheckReplicas(long.Parse(replicas, System.Globalization.CultureInfo.InvariantCulture)), error.Message);
        Assert.StartsWith("--replicas must be an integer in 1..16, not ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixteen_replicas_are_accepted() =>
        Assert.Equal(16, OptionsLoader.Load(["--node", "h:1", "--replicas", "16"], NoEnvironment).Replicas);

    [Theory]
    [InlineData("""{ "nodes": ["h:1"], "replicas": 17 }""", "'replicas' must be an integer in 1..16, not 17")]
    [InlineData("""{ "nodes": ["h:1"], "replicas": "3" }""", "'replicas' must be an integer")]
    [InlineData("""{ "nodes": ["h:1"], "replicas": 2.5 }""", "'replicas' must be an integer")]
    [InlineData("""{ "nodes": ["h:1"], "maxClients": 0 }""", "'maxClients' must be positive")]
    [InlineData("""{ "nodes": "h:1" }""", "'nodes' must be an array of strings")]
    [InlineData("""{ "nodes": ["h:1"], "listen": 6380 }""", "'listen' must be a string")]
    [InlineData("""{ "zookeeper": "zk:2181", "cluster": "c", "zkAuth": "p:x", "ringDebounceMs": -1 }""", "'ringDebounceMs' cannot be negative")]
    public void A_bad_value_in_the_file_is_refused_with_the_same_rule_as_on_the_command_line(string json, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => LoadFile(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_of_the_wrong_kind_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => LoadFile("""{ "nodes": ["h:1"], "password": 31415926 }"""));
        Assert.Contains("'password' must be a string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("31415926", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_overrides_the_file_and_the_command_line_overrides_the_environment()
    {
        var environment = new Dictionary<string, string> { ["REDISRING_PASSWORD"] = "from-env", ["REDISRING_BACKEND_PASSWORD"] = "backend-env" };
        var options = LoadFile("""{ "nodes": ["h:1"], "password": "from-file", "backendPassword": "backend-file" }""", ["--password", "from-flag"], environment.GetValueOrDefault);
        Assert.Equal("from-flag", options.Password);
        Assert.Equal("backend-env", options.BackendPassword);
    }

    [Fact]
    public void An_empty_environment_variable_counts_as_unset()
    {
        var options = LoadFile("""{ "nodes": ["h:1"], "password": "from-file" }""", [], _ => "");
        Assert.Equal("from-file", options.Password);
    }

    [Fact]
    public void Nodes_on_the_command_line_replace_the_file_list_as_a_whole()
    {
        var options = LoadFile("""{ "nodes": ["h:1", "h:2"] }""", ["--node", "h:3", "--node", "h:4"]);
        Assert.Equal(["h:3", "h:4"], options.Nodes.Select(n => n.Address));
    }

    [Fact]
    public void Defaults_are_not_explicit()
    {
        var options = OptionsLoader.Load(["--node", "h:1"], NoEnvironment);
        Assert.False(options.ReplicasSetExplicitly);
        Assert.False(options.HashTagSetExplicitly);
        Assert.Equal(["nodes"], options.ExplicitSettings);
    }

    [Fact]
    public void Replicas_and_hash_tag_given_in_the_file_or_on_the_command_line_are_explicit()
    {
        var fromFile = LoadFile("""{ "nodes": ["h:1"], "replicas": 2 }""");
        Assert.True(fromFile.ReplicasSetExplicitly);
        Assert.False(fromFile.HashTagSetExplicitly);

        var fromFlag = OptionsLoader.Load(["--node", "h:1", "--hash-tag", "{}"], NoEnvironment);
        Assert.False(fromFlag.ReplicasSetExplicitly);
        Assert.True(fromFlag.HashTagSetExplicitly);
    }

    private static string? NoEnvironment(string name) => null;

    private static ProxyOptions LoadFile(string json, string[]? args = null, Func<string, string?>? environment = null)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json);
            return OptionsLoader.Load(["--config", path, .. args ?? []], environment ?? NoEnvironment);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
