using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// What one client may make the proxy hold, against a real proxy process and redis-server: small
/// requests only before AUTH (Redis's unauthenticated limits).
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

    /// <summary><paramref name="name"/> with <paramref name="keys"/> keys: 1 + keys arguments.</summary>
    private static string[] Command(string name, int keys) => [name, .. Enumerable.Range(0, keys).Select(i => $"key:{i}")];
}
