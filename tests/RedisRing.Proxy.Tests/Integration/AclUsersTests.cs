using System.Security.Cryptography;
using System.Text;
using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Named users (--user, ACL SETUSER syntax) against a real proxy: logins, command and key permissions, third-party clients.</summary>
public sealed class AclUsersTests(ITestOutputHelper output)
{
    private const string AdminPassword = "admin-pass-1";
    private const string ReaderPassword = "reader-pass-2";
    private const string App1Password = "app1-pass-3";

    private static string Hash(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));

    private static readonly string[] s_users =
    [
        "--password", AdminPassword,
        "--user", $"reader on #{Hash(ReaderPassword)} ~* +@read +@connection +acl|whoami",
        "--user", $"app1 on #{Hash(App1Password)} ~app1:* +@all -@dangerous -@admin +acl|whoami",
        "--user", $"retired off #{Hash("retired-pass")} ~* +@all",
    ];

    [Fact]
    public async Task Named_users_log_in_and_are_held_to_their_commands_and_key_patterns()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, proxyArguments: s_users);
        await using var admin = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await admin.CommandAsync("GET", "x"));
        Assert.Equal("+OK\r\n", await admin.CommandAsync("AUTH", AdminPassword));
        Assert.Equal("$7\r\ndefault\r\n", await admin.CommandAsync("ACL", "WHOAMI"));
        Assert.Equal("+OK\r\n", await admin.CommandAsync("SET", "other:1", "o"));

        await using var reader = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await reader.CommandAsync("AUTH", "reader", App1Password));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await reader.CommandAsync("AUTH", "nobody", ReaderPassword));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await reader.CommandAsync("AUTH", "retired", "retired-pass"));
        Assert.Equal("+OK\r\n", await reader.CommandAsync("AUTH", "reader", ReaderPassword));
        Assert.Equal("$6\r\nreader\r\n", await reader.CommandAsync("ACL", "WHOAMI"));
        Assert.Equal("$1\r\no\r\n", await reader.CommandAsync("GET", "other:1"));
        Assert.Equal("-NOPERM User reader has no permissions to run the 'set' command\r\n", await reader.CommandAsync("SET", "other:1", "x"));
        Assert.Equal("-NOPERM User reader has no permissions to run the 'del' command\r\n", await reader.CommandAsync("DEL", "other:1"));

        await using var app1 = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.StartsWith("*", await app1.CommandAsync("HELLO", "2", "AUTH", "app1", App1Password, "SETNAME", "worker-1"), StringComparison.Ordinal);
        Assert.Equal("$4\r\napp1\r\n", await app1.CommandAsync("ACL", "WHOAMI"));
        Assert.Equal("$8\r\nworker-1\r\n", await app1.CommandAsync("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", await app1.CommandAsync("MSET", "app1:a", "1", "app1:b", "2"));
        Assert.Equal("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", await app1.CommandAsync("MGET", "app1:a", "app1:b"));
        const string KeyDenied = "-NOPERM No permissions to access a key\r\n";
        Assert.Equal(KeyDenied, await app1.CommandAsync("GET", "other:1"));
        Assert.Equal(KeyDenied, await app1.CommandAsync("MGET", "app1:a", "other:1"));
        Assert.Equal(KeyDenied, await app1.CommandAsync("DEL", "app1:a", "app1:b", "other:1"));
        Assert.Equal(KeyDenied, await app1.CommandAsync("EVAL", "return redis.call('GET', KEYS[1])", "1", "other:1"));
        Assert.Equal("$1\r\n1\r\n", await app1.CommandAsync("EVAL", "return redis.call('GET', KEYS[1])", "1", "app1:a"));
        Assert.Equal("-NOPERM User app1 has no permissions to run the 'flushall' command\r\n", await app1.CommandAsync("FLUSHALL"));

        // Nothing was deleted by the refused DEL, on any copy.
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal("$1\r\no\r\n", await node.CommandAsync("GET", "other:1"));
            Assert.Equal("$1\r\n1\r\n", await node.CommandAsync("GET", "app1:a"));
        }

        // AUTH switches users on an open connection; RESET goes back to the default user, not logged in.
        Assert.Equal("+OK\r\n", await app1.CommandAsync("AUTH", "reader", ReaderPassword));
        Assert.Equal("$6\r\nreader\r\n", await app1.CommandAsync("ACL", "WHOAMI"));
        Assert.Equal("+RESET\r\n", await app1.CommandAsync("RESET"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await app1.CommandAsync("GET", "app1:a"));

        // The proxy's own output (the fixture's first line is the command line it started).
        var log = string.Join('\n', cluster.Proxy.ReadLog().Split('\n').Where(l => !l.StartsWith("--- started", StringComparison.Ordinal)));
        Assert.Contains("failed authentication", log, StringComparison.Ordinal);
        foreach (var secret in new[] { AdminPassword, ReaderPassword, App1Password, Hash(ReaderPassword), Hash(App1Password) })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Channel_rules_hold_users_to_their_channels_and_a_user_without_any_gets_no_pub_sub()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, proxyArguments:
        [
            "--user", $"news on #{Hash(ReaderPassword)} ~news:* &news:* +@all",
            "--user", $"app1 on #{Hash(App1Password)} ~app1:* +@all",
        ]);
        const string ChannelDenied = "-NOPERM No permissions to access a channel\r\n";
        await using var news = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await news.CommandAsync("AUTH", "news", ReaderPassword));
        Assert.Equal(":0\r\n", await news.CommandAsync("PUBLISH", "news:sport", "goal"));
        Assert.Equal(ChannelDenied, await news.CommandAsync("PUBLISH", "weather", "rain"));
        Assert.Equal(ChannelDenied, await news.CommandAsync("SUBSCRIBE", "news:sport", "weather"));
        // A pattern must be one of the user's patterns as written: a broader one would reach further.
        Assert.Equal(ChannelDenied, await news.CommandAsync("PSUBSCRIBE", "*"));
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews:*\r\n:1\r\n", await news.CommandAsync("PSUBSCRIBE", "news:*"));

        // As Redis 7's resetchannels default: a user given no channel rule has no channel.
        await using var app1 = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await app1.CommandAsync("AUTH", "app1", App1Password));
        Assert.Equal(ChannelDenied, await app1.CommandAsync("PUBLISH", "app1:events", "x"));
        Assert.Equal(ChannelDenied, await app1.CommandAsync("SUBSCRIBE", "app1:events"));
        Assert.Equal("+OK\r\n", await app1.CommandAsync("SET", "app1:k", "v"));
    }

    [Fact]
    public async Task With_named_users_and_no_password_the_default_user_is_off()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, proxyArguments: ["--user", $"app1 on #{Hash(App1Password)} ~app1:* +@all"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await client.CommandAsync("GET", "app1:x"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await client.CommandAsync("AUTH", "anything"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("AUTH", "app1", App1Password));
        Assert.Equal("$-1\r\n", await client.CommandAsync("GET", "app1:x"));
    }

    [Fact]
    public async Task StackExchange_Redis_redis_cli_and_ioredis_log_in_with_a_username()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, proxyArguments: s_users);

        var options = ConfigurationOptions.Parse(cluster.ProxyEndpoint);
        options.User = "app1";
        options.Password = App1Password;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(options))
        {
            var db = connection.GetDatabase();
            await db.StringSetAsync("app1:se", "from-se");
            Assert.Equal("from-se", (string?)await db.StringGetAsync("app1:se"));
            var denied = await Assert.ThrowsAsync<RedisServerException>(() => db.StringGetAsync("other:se"));
            Assert.Equal("NOPERM No permissions to access a key", denied.Message);
        }

        var port = cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, cliGet) = await RunAsync("redis-cli", ["-p", port, "--user", "reader", "--pass", ReaderPassword, "--no-auth-warning", "GET", "app1:se"]);
        Assert.Equal("from-se", cliGet.Trim());
        var (_, cliSet) = await RunAsync("redis-cli", ["-p", port, "--user", "reader", "--pass", ReaderPassword, "--no-auth-warning", "SET", "app1:se", "x"]);
        Assert.Contains("NOPERM User reader has no permissions to run the 'set' command", cliSet, StringComparison.Ordinal);

        var result = await NodeClientScript.RunAsync("acl-users.js", cluster.ProxyPort, output, environment: new Dictionary<string, string>
        {
            ["REDIS_USERNAME"] = "app1",
            ["REDIS_PASSWORD"] = App1Password,
        });
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"whoami\":\"app1\"", result.Json, StringComparison.Ordinal);
        Assert.Contains("NOPERM No permissions to access a key", result.Json, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments) =>
        ToolProcess.RunAsync(file, arguments);
}
