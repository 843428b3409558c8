using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>The stack of docker/docker-compose.yml comes up from the local images and serves clients through both proxies.</summary>
[Collection(DockerStackCollection.Name)]
public sealed class StackStartTests(DockerStackFixture fixture)
{
    private readonly ComposeStack _stack = fixture.Stack;

    [DockerFact]
    public async Task Every_service_of_the_stack_runs_healthy_and_the_cluster_was_created_once()
    {
        foreach (var service in new[] { "zk1", "zk2", "zk3", "redis1", "redis2", "redis3", "proxy1", "proxy2", "captcha" })
        {
            Assert.Equal(("running", "healthy"), await _stack.StateAsync(service));
        }

        var createCluster = await _stack.ContainerIdAsync("create-cluster");
        Assert.Equal("exited 0", (await _stack.DockerAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", createCluster)).Trim());
        Assert.Contains("created /redisring/docker-test with 3 initial nodes", await _stack.ComposeAsync("logs", "--no-color", "create-cluster"), StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task A_key_written_through_one_proxy_is_read_through_the_other()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(RespText.Ok, await RawRedis.CommandAsync(_stack.Proxy1Port, "SET", $"start:{i}", $"value-{i}"));
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(RespText.Bulk($"value-{i}"), await RawRedis.CommandAsync(_stack.Proxy2Port, "GET", $"start:{i}"));
        }
    }

    [DockerFact]
    public async Task Both_proxies_serve_the_ring_of_the_three_nodes_with_two_copies_of_each_key()
    {
        foreach (var port in new[] { _stack.Proxy1Port, _stack.Proxy2Port })
        {
            var info = await RawRedis.CommandAsync(port, "INFO", "ring");
            Assert.Contains("ring_nodes:3\r\n", info, StringComparison.Ordinal);
            Assert.Contains("ring_readable_nodes:3\r\n", info, StringComparison.Ordinal);
            Assert.Contains("ring_replicas:2\r\n", info, StringComparison.Ordinal);
        }
    }

    [DockerFact]
    public async Task Published_ports_listen_on_loopback_only()
    {
        foreach (var (service, port) in new[] { ("proxy1", "6379/tcp"), ("proxy2", "6379/tcp"), ("captcha", "8080/tcp") })
        {
            var bindings = (await _stack.DockerAsync("inspect", "--format", $"{{{{range (index .NetworkSettings.Ports \"{port}\")}}}}{{{{.HostIp}}}} {{{{end}}}}", await _stack.ContainerIdAsync(service))).Trim();
            Assert.Equal("127.0.0.1", bindings);
        }

        foreach (var service in new[] { "zk1", "redis1", "redis2", "redis3" })
        {
            var ports = (await _stack.DockerAsync("inspect", "--format", "{{range $p, $b := .NetworkSettings.Ports}}{{if $b}}{{$p}} {{end}}{{end}}", await _stack.ContainerIdAsync(service))).Trim();
            Assert.Equal(string.Empty, ports);
        }
    }

    [DockerFact]
    public async Task Every_program_runs_as_an_unprivileged_user()
    {
        foreach (var service in new[] { "zk1", "redis1", "proxy1", "captcha" })
        {
            var uid = (await _stack.DockerAsync("exec", await _stack.ContainerIdAsync(service), "id", "-u")).Trim();
            Assert.NotEqual("0", uid);
        }
    }
}
