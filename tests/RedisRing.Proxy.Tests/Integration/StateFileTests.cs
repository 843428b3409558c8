using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// A proxy with a static node list keeps what it knows about its nodes' data across its own
/// restarts: a node that restarted empty while the proxy was down is not read after it.
/// </summary>
public sealed class StateFileTests(ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    [Fact]
    public async Task Node_restarted_empty_while_the_proxy_was_down_is_not_read_after_the_proxy_restarts()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(cluster.ProxyPort, "SET", "s" + i, "v" + i));
        }

        cluster.Proxy.Signal("TERM");
        Assert.Equal(0, await cluster.Proxy.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var state = await File.ReadAllTextAsync(cluster.Proxy.StateFilePath);
        Assert.Contains(cluster.Nodes[0].Endpoint, state, StringComparison.Ordinal);

        cluster.Nodes[0].Kill();
        await cluster.Nodes[0].StartAsync();
        Assert.Equal(":0\r\n", await RawRedis.CommandAsync(cluster.Nodes[0].Port, "DBSIZE"));
        await cluster.Proxy.StartAsync();

        var info = await RawRedis.CommandAsync(cluster.ProxyPort, "INFO", "ring");
        Assert.Contains($"address={cluster.Nodes[0].Endpoint},weight=1,membership=static,state=needs_repair", info, StringComparison.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(cluster.ProxyPort, "GET", "s" + i));
        }

        // The verdict is in the file too, so a second restart does not forget it.
        cluster.Proxy.Signal("TERM");
        await cluster.Proxy.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("\"needsRepair\": true", await File.ReadAllTextAsync(cluster.Proxy.StateFilePath), StringComparison.Ordinal);
        await cluster.Proxy.StartAsync();
        Assert.Contains("state=needs_repair", (await RawRedis.CommandAsync(cluster.ProxyPort, "INFO", "ring")).Split("\r\n").Single(l => l.Contains(cluster.Nodes[0].Endpoint, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_file_that_is_not_one_stops_the_proxy_with_a_clear_message()
    {
        var path = Path.Combine(Path.GetTempPath(), "redisring-state-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, "{not json");
        try
        {
            await using var redis = await RedisServer.StartAsync(output);
            var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { RepositoryPaths.BuiltDll("proxy", "redisring-proxy"), "--listen", "127.0.0.1:" + LoopbackPorts.GetFree(), "--node", redis.Endpoint, "--state-file", path })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(info)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("is not a RedisRing proxy state file", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
