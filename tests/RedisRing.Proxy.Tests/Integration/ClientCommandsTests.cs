using System.Security.Cryptography;
using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>CLIENT LIST/INFO/KILL/PAUSE/UNPAUSE over the proxy's own clients, and MONITOR's refusal, against a real proxy.</summary>
public sealed class ClientCommandsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CLIENT_LIST_shows_the_proxys_clients_and_CLIENT_KILL_closes_them_by_id_address_and_user()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("app-pass")));
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, proxyArguments: ["--password", "admin", "--user", $"app on #{hash} ~* +@all"]);
        await using var admin = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var first = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var second = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var third = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.StartsWith("%", await admin.CommandAsync("HELLO", "3", "AUTH", "default", "admin", "SETNAME", "admin"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await first.CommandAsync("AUTH", "app", "app-pass"));
        Assert.Equal("+OK\r\n", await first.CommandAsync("CLIENT", "SETNAME", "first"));
        Assert.Equal("+OK\r\n", await second.CommandAsync("AUTH", "app", "app-pass"));
        Assert.Equal("+OK\r\n", await third.CommandAsync("AUTH", "admin"));
        Assert.Equal("$-1\r\n", await third.CommandAsync("GET", "x"));

        var list = await admin.CommandAsync("CLIENT", "LIST");
        Assert.StartsWith("=", list, StringComparison.Ordinal);
        var lines = list.Split("txt:")[1].Split('\n').Where(l => l.StartsWith("id=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains(" name=admin ", StringComparison.Ordinal) && l.Contains(" cmd=client|list ", StringComparison.Ordinal) && l.Contains(" user=default ", StringComparison.Ordinal) && l.EndsWith(" resp=3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" name=first ", StringComparison.Ordinal) && l.Contains(" user=app ", StringComparison.Ordinal) && l.EndsWith(" resp=2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" cmd=get ", StringComparison.Ordinal));
        string Field(string line, string name) => line.Split(' ').Single(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

        var firstLine = lines.Single(l => l.Contains(" name=first ", StringComparison.Ordinal));
        var thirdLine = lines.Single(l => l.Contains(" cmd=get ", StringComparison.Ordinal));
        Assert.Equal($"id={Field(firstLine, "id")}", (await first.CommandAsync("CLIENT", "INFO")).Split('\n')[1].Split(' ')[0]);

        // By id: only that client goes; the others still answer.
        Assert.Equal(":1\r\n", await admin.CommandAsync("CLIENT", "KILL", "ID", Field(firstLine, "id")));
        Assert.True(await first.IsClosedByServerAsync(s_bound));
        Assert.Equal("+PONG\r\n", await second.CommandAsync("PING"));

        // By user, and by address in the old form.
        Assert.Equal("-ERR No such user 'nobody'\r\n", await admin.CommandAsync("CLIENT", "KILL", "USER", "nobody"));
        Assert.Equal(":1\r\n", await admin.CommandAsync("CLIENT", "KILL", "USER", "app"));
        Assert.True(await second.IsClosedByServerAsync(s_bound));
        Assert.Equal("+OK\r\n", await admin.CommandAsync("CLIENT", "KILL", Field(thirdLine, "addr")));
        Assert.True(await third.IsClosedByServerAsync(s_bound));
        Assert.Equal("-ERR No such client\r\n", await admin.CommandAsync("CLIENT", "KILL", Field(thirdLine, "addr")));

        // SKIPME yes (the default) spares the caller; SKIPME no closes it after its reply.
        Assert.Equal(":0\r\n", await admin.CommandAsync("CLIENT", "KILL", "USER", "default"));
        Assert.Equal("-ERR MONITOR is not supported by RedisRing\r\n", await admin.CommandAsync("MONITOR"));
        Assert.Equal(":1\r\n", await admin.CommandAsync("CLIENT", "KILL", "USER", "default", "SKIPME", "no"));
        Assert.True(await admin.IsClosedByServerAsync(s_bound));
    }

    [Fact]
    public async Task CLIENT_PAUSE_WRITE_holds_writes_in_order_until_CLIENT_UNPAUSE_while_reads_go_on()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2);
        await using var operatorClient = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var writer = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var reader = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await writer.CommandAsync("SET", "paused", "before"));

        Assert.Equal("+OK\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "60000", "WRITE"));
        await writer.SendAsync("SET", "paused", "after");
        await writer.SendAsync("GET", "paused");
        var held = writer.ReadReplyAsync();

        // Reads of other clients, and the operator's CLIENT commands, are not held.
        Assert.Equal("$6\r\nbefore\r\n", await reader.CommandAsync("GET", "paused"));
        Assert.StartsWith("$", await operatorClient.CommandAsync("CLIENT", "LIST"), StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.False(held.IsCompleted);
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal("$6\r\nbefore\r\n", await node.CommandAsync("GET", "paused"));
        }

        Assert.Equal("+OK\r\n", await operatorClient.CommandAsync("CLIENT", "UNPAUSE"));
        Assert.Equal("+OK\r\n", await held.WaitAsync(s_bound));
        Assert.Equal("$5\r\nafter\r\n", await writer.ReadReplyAsync());
    }

    [Fact]
    public async Task CLIENT_PAUSE_ALL_holds_every_command_until_its_timeout_ends()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2);
        await using var operatorClient = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var other = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-ERR timeout is negative\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "-1"));
        Assert.Equal("-ERR syntax error\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "10", "SOME"));
        Assert.Equal("-ERR timeout is out of range\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "9223372036854775807"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "soon"));

        Assert.Equal("+OK\r\n", await operatorClient.CommandAsync("CLIENT", "PAUSE", "1500", "ALL"));
        await other.SendAsync("GET", "anything");
        var held = other.ReadReplyAsync();
        await Task.Delay(300);
        Assert.False(held.IsCompleted);
        Assert.Equal("$-1\r\n", await held.WaitAsync(s_bound));
        Assert.Equal("+PONG\r\n", await other.CommandAsync("PING"));
    }
}
