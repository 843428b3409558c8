using System.Diagnostics;
using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// MULTI/EXEC/DISCARD/WATCH through the proxy (docs/protocol.md, "Transactions"): a transaction
/// whose keys share one hash tag runs on every copy of their replica set, and the copies stay equal.
/// </summary>
public sealed class TransactionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ExecAbort = "-EXECABORT Transaction discarded because of previous errors.\r\n";

    private RedisRingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RedisRingCluster.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>The value of <paramref name="key"/> on every node that has it, read directly (no proxy).</summary>
    private async Task<List<string>> CopiesAsync(string key, params string[] read)
    {
        var copies = new List<string>();
        foreach (var node in _cluster.Nodes)
        {
            if (!node.IsRunning || await node.CommandAsync("EXISTS", key) != ":1\r\n")
            {
                continue;
            }

            copies.Add(await node.CommandAsync(read.Length == 0 ? ["GET", key] : [.. read]));
        }

        return copies;
    }

    private async Task AssertTwoEqualCopiesAsync(string key, params string[] read)
    {
        var copies = await CopiesAsync(key, read);
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0], copies[1]);
    }

    [Fact]
    public async Task Redis_cli_session_runs_multi_exec_on_both_copies_and_keyless_commands_are_answered_in_place()
    {
        var port = _cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync("MULTI\nSET {cli}:n 10\nINCR {cli}:n\nPING\nECHO hi\nRPUSH {cli}:l a b\nGET {cli}:n\nEXEC\nGET {cli}:n\n");
        process.StandardInput.Close();
        var text = await process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        output.WriteLine(text);

        Assert.Equal(["OK", "QUEUED", "QUEUED", "QUEUED", "QUEUED", "QUEUED", "QUEUED", "OK", "11", "PONG", "hi", "2", "11", "11"], text.Trim().Split('\n'));
        await AssertTwoEqualCopiesAsync("{cli}:n");
        await AssertTwoEqualCopiesAsync("{cli}:l", "LRANGE", "{cli}:l", "0", "-1");
    }

    [Fact]
    public async Task Errors_while_queuing_make_exec_answer_execabort_and_nothing_runs_anywhere()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        string[][] refused =
        [
            ["NOSUCHCOMMAND", "x"],
            ["GET"],
            ["SET", "{other}:k", "v"],
            ["BLPOP", "{abort}:l", "0"],
            ["SUBSCRIBE", "channel"],
            ["SPOP", "{abort}:s"],
            ["FLUSHALL"],
            ["CLIENT", "SETNAME", "x"],
        ];
        foreach (var command in refused)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
            Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "{abort}:k", "v"));
            var error = await client.CommandAsync(command);
            Assert.StartsWith("-", error, StringComparison.Ordinal);
            Assert.Equal(ExecAbort, await client.CommandAsync("EXEC"));
        }

        Assert.Equal("$-1\r\n", await client.CommandAsync("GET", "{abort}:k"));
        Assert.Empty(await CopiesAsync("{abort}:k"));
    }

    [Fact]
    public async Task A_transaction_across_replica_sets_is_refused_with_crossslot()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "cross:a", "1"));
        Assert.StartsWith("-CROSSSLOT ", await client.CommandAsync("SET", "cross:b", "2"), StringComparison.Ordinal);
        Assert.Equal(ExecAbort, await client.CommandAsync("EXEC"));
        Assert.StartsWith("-CROSSSLOT ", await client.CommandAsync("WATCH", "cross:a", "cross:b"), StringComparison.Ordinal);
        Assert.Empty(await CopiesAsync("cross:a"));
    }

    [Fact]
    public async Task Misplaced_transaction_commands_get_redis_own_errors_and_discard_forgets_the_queue()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("-ERR EXEC without MULTI\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal("-ERR DISCARD without MULTI\r\n", await client.CommandAsync("DISCARD"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed\r\n", await client.CommandAsync("WATCH", "{d}:k"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "{d}:k", "v"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("DISCARD"));
        Assert.Equal("$-1\r\n", await client.CommandAsync("GET", "{d}:k"));

        // Those errors do not abort the transaction, as in Redis.
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "{d}:k", "v"));
        Assert.Equal("*1\r\n+OK\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("*0\r\n", await client.CommandAsync("EXEC"));
    }

    [Fact]
    public async Task A_transaction_larger_than_a_node_connection_queue_is_refused_while_queuing()
    {
        await using var small = await RedisRingCluster.StartAsync(output, proxyArguments: ["--max-pending-per-backend", "16"]);
        await using var client = await RespConnection.ConnectAsync(small.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{big}:n"));
        }

        Assert.StartsWith("-ERR the transaction is too large for RedisRing: at most 6 commands", await client.CommandAsync("INCR", "{big}:n"), StringComparison.Ordinal);
        Assert.Equal(ExecAbort, await client.CommandAsync("EXEC"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{big}:n"));
        }

        Assert.Equal("*6\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n", await client.CommandAsync("EXEC"));
    }

    [Fact]
    public async Task A_watched_key_changed_by_another_client_makes_exec_answer_nil_and_no_copy_runs_it()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var other = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{w}:k", "1"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{w}:k"));
        Assert.Equal("+OK\r\n", await other.CommandAsync("SET", "{w}:k", "2"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "{w}:k", "from-tx"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SET", "{w}:other", "from-tx"));
        Assert.Equal("*-1\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal(["$1\r\n2\r\n", "$1\r\n2\r\n"], await CopiesAsync("{w}:k"));
        Assert.Empty(await CopiesAsync("{w}:other"));

        // Unchanged this time: it commits, on both copies.
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{w}:k"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{w}:k"));
        Assert.Equal("*1\r\n:3\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal(["$1\r\n3\r\n", "$1\r\n3\r\n"], await CopiesAsync("{w}:k"));

        // The client's own write after WATCH aborts its transaction, as in Redis.
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{w}:k"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{w}:k", "4"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{w}:k"));
        Assert.Equal("*-1\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal(["$1\r\n4\r\n", "$1\r\n4\r\n"], await CopiesAsync("{w}:k"));
    }

    [Fact]
    public async Task A_client_that_leaves_while_watching_releases_its_connection_to_the_node()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{leave}:k", "1"));
        var before = await ConnectedClientsAsync();
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{leave}:k"));
        Assert.Equal(before + 1, await ConnectedClientsAsync());
        await client.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await ConnectedClientsAsync() != before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the WATCH connection was not closed");
            await Task.Delay(50);
        }
    }

    private async Task<int> ConnectedClientsAsync()
    {
        var total = 0;
        foreach (var node in _cluster.Nodes)
        {
            var info = await node.CommandAsync("INFO", "clients");
            var line = info.Split("\r\n").First(l => l.StartsWith("connected_clients:", StringComparison.Ordinal));
            // The direct connection that asks is one of them.
            total += int.Parse(line["connected_clients:".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;
        }

        return total;
    }

    [Fact]
    public async Task StackExchange_redis_transactions_with_and_without_conditions_work_with_default_options()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(_cluster.ProxyEndpoint);
        var db = multiplexer.GetDatabase();

        var plain = db.CreateTransaction();
        var set = plain.StringSetAsync("{se}:a", "1");
        var incr = plain.StringIncrementAsync("{se}:a", 5);
        var push = plain.ListRightPushAsync("{se}:l", ["x", "y"]);
        Assert.True(await plain.ExecuteAsync());
        Assert.True(await set);
        Assert.Equal(6, await incr);
        Assert.Equal(2, await push);

        var conditional = db.CreateTransaction();
        conditional.AddCondition(Condition.KeyNotExists("{se}:lock"));
        conditional.AddCondition(Condition.StringEqual("{se}:a", "6"));
        _ = conditional.StringSetAsync("{se}:lock", "me");
        _ = conditional.StringIncrementAsync("{se}:a");
        Assert.True(await conditional.ExecuteAsync());
        Assert.Equal("7", (string?)await db.StringGetAsync("{se}:a"));

        var failing = db.CreateTransaction();
        failing.AddCondition(Condition.StringEqual("{se}:a", "6"));
        _ = failing.StringSetAsync("{se}:a", "overwritten");
        Assert.False(await failing.ExecuteAsync());
        Assert.Equal("7", (string?)await db.StringGetAsync("{se}:a"));

        var notExists = db.CreateTransaction();
        notExists.AddCondition(Condition.KeyNotExists("{se}:lock"));
        _ = notExists.StringSetAsync("{se}:lock", "other");
        Assert.False(await notExists.ExecuteAsync());
        Assert.Equal("me", (string?)await db.StringGetAsync("{se}:lock"));

        await AssertTwoEqualCopiesAsync("{se}:a");
        await AssertTwoEqualCopiesAsync("{se}:lock");
        await AssertTwoEqualCopiesAsync("{se}:l", "LRANGE", "{se}:l", "0", "-1");
    }

    [Fact]
    public async Task Ioredis_and_node_redis_multi_and_watch_work_with_default_options()
    {
        var result = await NodeClientScript.RunAsync("tx-multi-watch.js", _cluster.ProxyPort, output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("{\"io\":\"12\",\"node\":\"22\"}", result.Json);
        await AssertTwoEqualCopiesAsync("{tx:io}:n");
        await AssertTwoEqualCopiesAsync("{tx:node}:n");
    }
}
