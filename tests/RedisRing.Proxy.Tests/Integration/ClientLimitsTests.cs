using System.Diagnostics;
using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// What one client may make the proxy hold, against a real proxy process and redis-server: small
/// requests only before AUTH (Redis's unauthenticated limits), and not for long (the auth deadline).
/// </summary>
public sealed class ClientLimitsTests(ITestOutputHelper output)
{
    private const string Password = "limits-pass";

    [Fact]
    public async Task Before_AUTH_more_than_10_arguments_or_a_bulk_over_16_KB_closes_the_connection_with_the_Redis_error()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password);

        await using var manyArguments = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await manyArguments.SendAsync(Command("DEL", 10));
        Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", await manyArguments.ReadReplyAsync());
        Assert.True(await manyArguments.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        // Refused at the length, before the bytes are sent: the proxy never waits for them.
        await using var bigBulk = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await bigBulk.SendRawAsync("*2\r\n$4\r\nECHO\r\n$16385\r\nxxxx"u8.ToArray());
        Assert.Equal("-ERR Protocol error: unauthenticated bulk length\r\n", await bigBulk.ReadReplyAsync());
        Assert.True(await bigBulk.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        await using var longInline = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await longInline.SendRawAsync(Encoding.ASCII.GetBytes("AUTH " + new string('x', 16384)));
        Assert.Equal("-ERR Protocol error: too big inline request\r\n", await longInline.ReadReplyAsync());
        Assert.True(await longInline.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        // At the limits a request is read, and refused only for want of AUTH.
        await using var atTheLimits = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await atTheLimits.CommandAsync(Command("DEL", 9)));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await atTheLimits.CommandAsync("ECHO", new string('x', 16384)));
        Assert.Equal("+OK\r\n", await atTheLimits.CommandAsync("AUTH", Password));
    }

    [Fact]
    public async Task After_AUTH_the_same_requests_work_even_in_the_pipeline_of_the_AUTH()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password);
        var big = new string('x', 16385);

        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("AUTH", Password));
        Assert.Equal(":0\r\n", await client.CommandAsync(Command("DEL", 10)));
        Assert.Equal($"$16385\r\n{big}\r\n", await client.CommandAsync("ECHO", big));

        // AUTH is answered before the next request of the same write is read.
        await using var pipelined = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await pipelined.SendRawAsync([.. RawRedis.Encode("AUTH", Password), .. RawRedis.Encode("ECHO", big), .. RawRedis.Encode(Command("DEL", 10))]);
        Assert.Equal("+OK\r\n", await pipelined.ReadReplyAsync());
        Assert.Equal($"$16385\r\n{big}\r\n", await pipelined.ReadReplyAsync());
        Assert.Equal(":0\r\n", await pipelined.ReadReplyAsync());
    }

    [Fact]
    public async Task An_unauthenticated_client_trickling_a_byte_every_200_ms_is_closed_at_the_auth_deadline()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password, "--auth-timeout-s", "1");
        await using var member = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await member.CommandAsync("AUTH", Password));

        await using var stranger = await RespConnection.ConnectAsync(cluster.ProxyPort);
        var connected = Stopwatch.StartNew();
        var closed = stranger.IsClosedByServerAsync(TimeSpan.FromSeconds(10));
        var request = RawRedis.Encode("AUTH", new string('x', 1000));
        for (var i = 0; i < request.Length && !closed.IsCompleted; i++)
        {
            try
            {
                await stranger.SendRawAsync([request[i]]);
            }
            catch (IOException)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(await closed, "the trickling client is still connected");
        output.WriteLine($"closed after {connected.Elapsed}");
        Assert.InRange(connected.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal("+PONG\r\n", await member.CommandAsync("PING"));
        Assert.True(await LogContainsAsync(cluster.Proxy, "did not authenticate within 1 s of connecting"));
    }

    /// <summary>Whether the proxy logs <paramref name="text"/> within a few seconds (its console logger writes in the background).</summary>
    private static async Task<bool> LogContainsAsync(ProxyProcess proxy, string text)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (proxy.ReadLog().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary><paramref name="name"/> with <paramref name="keys"/> keys: 1 + keys arguments.</summary>
    private static string[] Command(string name, int keys) => [name, .. Enumerable.Range(0, keys).Select(i => $"key:{i}")];
}
