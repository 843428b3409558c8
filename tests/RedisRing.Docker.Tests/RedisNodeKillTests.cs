using System.Diagnostics;
using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>A node's container killed (SIGKILL, no goodbye) while clients read through both proxies.</summary>
[Collection(DockerStackCollection.Name)]
public sealed class RedisNodeKillTests(DockerStackFixture fixture)
{
    private const int Keys = 300;
    private readonly ComposeStack _stack = fixture.Stack;

    [DockerFact]
    public async Task A_redis_container_killed_under_load_fails_no_read_through_either_proxy()
    {
        await _stack.WithDiagnosticsAsync(() => _stack.WaitServingAsync());
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(RespText.Ok, await RawRedis.CommandAsync(_stack.Proxy1Port, "SET", $"kill:{i}", $"v{i}"));
        }

        using var stop = new CancellationTokenSource();
        var readers = new[] { _stack.Proxy1Port, _stack.Proxy1Port, _stack.Proxy2Port, _stack.Proxy2Port }
            .Select((port, n) => ReadUntilStoppedAsync(port, n, stop.Token)).ToArray();
        try
        {
            await Task.Delay(1000);
            await _stack.ComposeAsync("kill", "-s", "SIGKILL", "redis2");
            // Both proxies must notice the loss (the node down in their own view) while the reads go
            // on; well within the cluster's 60 s down grace, after which the member would be removed.
            await _stack.WithDiagnosticsAsync(async () =>
            {
                await ComposeStack.WaitNodeStateAsync(_stack.Proxy1Port, "redis2:6379", "down", TimeSpan.FromSeconds(20));
                await ComposeStack.WaitNodeStateAsync(_stack.Proxy2Port, "redis2:6379", "down", TimeSpan.FromSeconds(20));
            });
            await Task.Delay(1000);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var results = await Task.WhenAll(readers);
        try
        {
            Assert.All(results, r => Assert.True(r.Reads > 0, "a reader made no reads"));
            Assert.Equal([], results.SelectMany(r => r.Failures).Take(10).ToArray());
        }
        finally
        {
            // Put the node back for the other tests: its registrar registers it again.
            await _stack.WithDiagnosticsAsync(async () =>
            {
                await _stack.ComposeAsync("start", "redis2");
                await _stack.WaitHealthyAsync("redis2", TimeSpan.FromSeconds(60));
                await ComposeStack.WaitRingAsync(_stack.Proxy1Port, 3, TimeSpan.FromSeconds(60));
                await ComposeStack.WaitRingAsync(_stack.Proxy2Port, 3, TimeSpan.FromSeconds(60));
            });
        }
    }

    /// <summary>GETs the keys in turn on one connection until stopped; any reply but the value written is a failure.</summary>
    private static async Task<(int Reads, List<string> Failures)> ReadUntilStoppedAsync(int port, int reader, CancellationToken stop)
    {
        var failures = new List<string>();
        var reads = 0;
        var clock = Stopwatch.StartNew();
        RespConnection? connection = null;
        try
        {
            for (var i = reader; !stop.IsCancellationRequested; i = (i + 7) % Keys)
            {
                try
                {
                    connection ??= await RespConnection.ConnectAsync(port);
                    var reply = await connection.CommandAsync("GET", $"kill:{i}");
                    reads++;
                    if (reply != RespText.Bulk($"v{i}"))
                    {
                        failures.Add($"{clock.ElapsedMilliseconds} ms, port {port}: GET kill:{i} answered {reply.Trim()}");
                    }
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
                {
                    failures.Add($"{clock.ElapsedMilliseconds} ms, port {port}: GET kill:{i} failed: {e.Message}");
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return (reads, failures);
    }
}
