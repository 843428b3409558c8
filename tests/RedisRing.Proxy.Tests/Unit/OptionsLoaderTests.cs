using RedisRing.Proxy.Configuration;

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
}
