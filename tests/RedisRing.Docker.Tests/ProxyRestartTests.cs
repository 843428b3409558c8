using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>A proxy's container restarted: it takes the ring from ZooKeeper again and serves what was written before.</summary>
[Collection(DockerStackCollection.Name)]
public sealed class ProxyRestartTests(DockerStackFixture fixture)
{
    private readonly ComposeStack _stack = fixture.Stack;

    [DockerFact]
    public async Task A_restarted_proxy_container_serves_the_keys_written_before_and_the_other_proxy_serves_throughout()
    {
        await _stack.WithDiagnosticsAsync(() => _stack.WaitServingAsync());
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RespText.Ok, await RawRedis.CommandAsync(_stack.Proxy1Port, "SET", $"restart:{i}", $"r{i}"));
        }

        await using var other = await RespConnection.ConnectAsync(_stack.Proxy2Port);
        var restart = _stack.ComposeAsync("restart", "-t", "5", "proxy1");
        var readsDuringRestart = 0;
        while (!restart.IsCompleted)
        {
            var i = readsDuringRestart++ % 100;
            Assert.Equal(RespText.Bulk($"r{i}"), await other.CommandAsync("GET", $"restart:{i}"));
        }

        await restart;
        await _stack.WithDiagnosticsAsync(async () =>
        {
            await _stack.WaitHealthyAsync("proxy1", TimeSpan.FromSeconds(60));
            await ComposeStack.WaitRingAsync(_stack.Proxy1Port, 3, TimeSpan.FromSeconds(60));
        });
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RespText.Bulk($"r{i}"), await RawRedis.CommandAsync(_stack.Proxy1Port, "GET", $"restart:{i}"));
        }

        Assert.True(readsDuringRestart > 0);
    }
}
