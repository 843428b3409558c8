using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Real clients (redis-cli, redis-benchmark, StackExchange.Redis, ioredis, node-redis) through the proxy.</summary>
public sealed class ClientCompatibilityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisRingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RedisRingCluster.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? input = null, int timeoutSeconds = 120) =>
        ToolProcess.RunAsync(file, arguments, input, timeoutSeconds);

    [Fact]
    public async Task Redis_cli_one_shot_commands_work()
    {
        var port = _cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("OK", (await RunAsync("redis-cli", ["-p", port, "SET", "cli", "value"])).Output.Trim());
        Assert.Equal("value", (await RunAsync("redis-cli", ["-p", port, "GET", "cli"])).Output.Trim());
        Assert.Equal("3", (await RunAsync("redis-cli", ["-p", port, "RPUSH", "clilist", "a", "b", "c"])).Output.Trim());
        Assert.Equal("a\nb\nc", (await RunAsync("redis-cli", ["-p", port, "LRANGE", "clilist", "0", "-1"])).Output.Trim());
    }

    [Fact]
    public async Task Redis_cli_session_reading_commands_line_by_line_works()
    {
        var port = _cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, text) = await RunAsync("redis-cli", ["-p", port], "PING\nSET session 42\nINCR session\nGET session\nHSET h f v\nHGETALL h\n");
        Assert.Equal(0, exit);
        Assert.Equal(["PONG", "OK", "43", "43", "1", "f", "v"], text.Trim().Split('\n'));
    }

    [Fact]
    public async Task Redis_cli_interactive_mode_on_a_terminal_works()
    {
        // tmux gives redis-cli a real terminal, so it runs as a person uses it: with its prompt,
        // command hints (it asks COMMAND DOCS on start) and typed replies.
        var port = _cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var socket = "redisring-test-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Assert.Equal(0, (await RunAsync("tmux", ["-L", socket, "new-session", "-d", "-s", "cli", "-x", "150", "-y", "40", $"redis-cli -p {port}"])).ExitCode);
            var prompt = $"127.0.0.1:{port}>";
            await WaitForScreenAsync(socket, prompt, 1);
            var lines = new[] { "SET tty hello", "GET tty", "INCR n", "LPUSH l a b", "LRANGE l 0 -1" };
            var screen = "";
            for (var i = 0; i < lines.Length; i++)
            {
                // Type the next command only once the previous one has been answered.
                await RunAsync("tmux", ["-L", socket, "send-keys", "-t", "cli", lines[i], "Enter"]);
                screen = await WaitForScreenAsync(socket, prompt, i + 2);
            }

            output.WriteLine(screen);
            Assert.Contains("\"hello\"", screen, StringComparison.Ordinal);
            Assert.Contains("(integer) 1", screen, StringComparison.Ordinal);
            Assert.Contains("1) \"b\"", screen, StringComparison.Ordinal);
            Assert.Contains("2) \"a\"", screen, StringComparison.Ordinal);
            Assert.DoesNotContain("ERR", screen, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("tmux", ["-L", socket, "kill-server"]);
        }
    }

    private static async Task<string> WaitForScreenAsync(string socket, string expected, int times)
    {
        var screen = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            screen = (await RunAsync("tmux", ["-L", socket, "capture-pane", "-t", "cli", "-p"])).Output;
            if (screen.Split(expected).Length - 1 >= times)
            {
                return screen;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"'{expected}' did not appear {times} times on the terminal:\n{screen}");
    }

    [Fact]
    public async Task Redis_benchmark_default_tests_complete_without_errors()
    {
        var port = _cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, text) = await RunAsync("redis-benchmark", ["-p", port, "-n", "2000", "-c", "20", "-r", "10000", "-q", "-t", "set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange,mset"], timeoutSeconds: 300);
        output.WriteLine(text);
        Assert.Equal(0, exit);
        var results = text.Split('\n', '\r').Where(l => l.Contains("requests per second", StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).Distinct().ToList();
        foreach (var test in new[] { "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN", "MSET (10 keys)" })
        {
            Assert.Contains(test, results);
        }

        Assert.Contains(results, r => r.StartsWith("LRANGE_100", StringComparison.Ordinal));
        Assert.DoesNotContain("Error", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("WARNING", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ioredis_and_node_redis_with_default_options_read_each_others_writes_through_the_proxy()
    {
        var result = await NodeClientScript.RunAsync("basics.js", _cluster.ProxyPort, output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("{\"counter\":100}", result.Json);
    }

    [Fact]
    public async Task StackExchange_redis_with_default_settings_connects_and_runs_every_data_type()
    {
        using var log = new StringWriter();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(_cluster.ProxyEndpoint, log);
        output.WriteLine(log.ToString());
        Assert.True(multiplexer.IsConnected);
        var db = multiplexer.GetDatabase();
        Assert.True(await db.StringSetAsync("se:string", "v"));
        Assert.Equal("v", await db.StringGetAsync("se:string"));
        Assert.Equal(5, await db.StringIncrementAsync("se:counter", 5));
        await db.HashSetAsync("se:hash", [new HashEntry("a", "1"), new HashEntry("b", "2")]);
        Assert.Equal("2", await db.HashGetAsync("se:hash", "b"));
        Assert.Equal(3, await db.ListRightPushAsync("se:list", ["x", "y", "z"]));
        Assert.Equal("x", await db.ListLeftPopAsync("se:list"));
        Assert.True(await db.SetAddAsync("se:set", "m"));
        Assert.True(await db.SetContainsAsync("se:set", "m"));
        Assert.True(await db.SortedSetAddAsync("se:zset", "a", 1.5));
        Assert.Equal(1.5, await db.SortedSetScoreAsync("se:zset", "a"));

        var names = Enumerable.Range(0, 20).Select(i => $"se:multi:{i}").ToArray();
        var keys = names.Select(n => (RedisKey)n).ToArray();
        Assert.True(await db.StringSetAsync(names.Select(n => new KeyValuePair<RedisKey, RedisValue>(n, "val:" + n)).ToArray()));
        var values = await db.StringGetAsync(keys);
        Assert.Equal(names.Select(n => "val:" + n), values.Select(v => (string?)v));

        var batch = db.CreateBatch();
        var pending = Enumerable.Range(0, 50).Select(i => batch.StringSetAsync($"se:batch:{i}", i)).ToList();
        var reads = Enumerable.Range(0, 50).Select(i => batch.StringGetAsync($"se:batch:{i}")).ToList();
        batch.Execute();
        Assert.All(await Task.WhenAll(pending), Assert.True);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (RedisValue)i), await Task.WhenAll(reads));
    }
}
