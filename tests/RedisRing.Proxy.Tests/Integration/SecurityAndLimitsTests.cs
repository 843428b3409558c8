using System.Diagnostics;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Passwords, admin switches and limits, against a real proxy process.</summary>
public sealed class SecurityAndLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Clients_must_authenticate_when_a_password_is_set()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--password", "s3cret-pass"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await client.CommandAsync("GET", "x"));
        Assert.StartsWith("-WRONGPASS", await client.CommandAsync("AUTH", "wrong"), StringComparison.Ordinal);
        Assert.StartsWith("-WRONGPASS", await client.CommandAsync("AUTH", "admin", "s3cret-pass"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CommandAsync("AUTH", "default", "s3cret-pass"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "x", "1"));

        await using var second = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await second.CommandAsync("AUTH", "s3cret-pass"));
        Assert.Equal("$1\r\n1\r\n", await second.CommandAsync("GET", "x"));
        Assert.DoesNotContain("s3cret-pass", cluster.Proxy.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_admin_commands_reach_every_node_and_others_stay_refused()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--allow-admin", "FLUSHALL"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        for (var i = 0; i < 20; i++)
        {
            await client.CommandAsync("SET", $"a:{i}", "x");
        }

        Assert.Equal("+OK\r\n", await client.CommandAsync("FLUSHALL"));
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal(":0\r\n", await node.CommandAsync("DBSIZE"));
        }

        Assert.StartsWith("-ERR FLUSHDB is an administrative command", await client.CommandAsync("FLUSHDB"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_configuration_exits_with_a_clear_message_and_non_zero_code()
    {
        foreach (var (arguments, message) in new[]
        {
            (new[] { "--listen", "127.0.0.1:1" }, "no backend nodes"),
            (new[] { "--node", "127.0.0.1:notaport" }, "port must be 1-65535"),
            (new[] { "--node", "127.0.0.1:7000", "--replicas", "0" }, "--replicas must be an integer in 1..16, not 0"),
            (new[] { "--node", "127.0.0.1:7000", "--replicas", "100" }, "--replicas must be an integer in 1..16, not 100"),
            (new[] { "--node", "127.0.0.1:7000", "--allow-admin", "GET" }, "not an administrative command"),
            (new[] { "--node", "127.0.0.1:7000", "--bogus", "1" }, "unknown option '--bogus'"),
        })
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add(RepositoryPaths.BuiltDll("proxy", "redisring-proxy"));
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(2, process.ExitCode);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Random_garbage_on_many_connections_neither_crashes_the_proxy_nor_grows_its_memory()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--max-inline-length", "4096", "--max-bulk-length", "65536", "--max-request-length", "131072"]);
        var random = new Random(7);
        var pid = cluster.Proxy.ProcessId!.Value;
        long Rss() => long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var before = Rss();
        for (var round = 0; round < 200; round++)
        {
            await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
            var garbage = new byte[random.Next(1, 20_000)];
            random.NextBytes(garbage);
            if (round % 3 == 0)
            {
                garbage[0] = (byte)'*';
            }

            try
            {
                await client.SendRawAsync(garbage);
            }
            catch (IOException)
            {
                // The proxy may close the connection before it has read everything.
            }
        }

        await using var healthy = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+PONG\r\n", await healthy.CommandAsync("PING"));
        Assert.True(cluster.Proxy.IsRunning);
        var after = Rss();
        output.WriteLine($"RSS before {before} kB, after {after} kB");
        Assert.True(after < before + 64 * 1024, $"RSS grew from {before} kB to {after} kB");
    }

    [Fact]
    public async Task A_bulk_larger_than_the_limit_is_refused_with_a_protocol_error()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--max-bulk-length", "1024"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await client.SendRawAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Clients_beyond_the_limit_are_refused_and_idle_clients_are_closed()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--max-clients", "2", "--client-idle-timeout-s", "1"]);
        await using var first = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var second = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+PONG\r\n", await first.CommandAsync("PING"));
        Assert.Equal("+PONG\r\n", await second.CommandAsync("PING"));
        await using var third = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-ERR max number of clients reached\r\n", await third.ReadReplyAsync());
        Assert.True(await first.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }
}
