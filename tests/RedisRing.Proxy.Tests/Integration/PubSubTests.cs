using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Pub/sub through the proxy (3 nodes, 2 copies): real clients with default options, Redis's own
/// reply shapes and subscribed-mode errors (compared with a node's own answers), exactly-once
/// delivery to many subscribers, a channel's primary killed during a subscription, and a
/// subscriber that does not read closed by the pub/sub output limit.
/// </summary>
public sealed class PubSubTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private RedisRingCluster _cluster = null!;

    // A 1 MB limit, no soft limit: the output limit test fills it quickly.
    public async Task InitializeAsync() => _cluster = await RedisRingCluster.StartAsync(output, 3, 2, "--pubsub-output-hard-limit", "1048576", "--pubsub-output-soft-limit", "0");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task StackExchange_redis_receives_each_message_once_on_a_channel_and_a_pattern()
    {
        await using var subscriberSide = await ConnectionMultiplexer.ConnectAsync(_cluster.ProxyEndpoint);
        await using var publisherSide = await ConnectionMultiplexer.ConnectAsync(_cluster.ProxyEndpoint);
        var onChannel = new ConcurrentQueue<string>();
        var onPattern = new ConcurrentQueue<string>();
        var subscriber = subscriberSide.GetSubscriber();
        // Handlers given to SubscribeAsync may run concurrently (the library's choice); a
        // ChannelMessageQueue hands over messages one at a time, in the order they arrived.
        (await subscriber.SubscribeAsync(RedisChannel.Literal("se:news"))).OnMessage(message => onChannel.Enqueue(message.Message!));
        (await subscriber.SubscribeAsync(RedisChannel.Pattern("se:n*"))).OnMessage(message => onPattern.Enqueue(message.Channel + "=" + message.Message));

        var publisher = publisherSide.GetSubscriber();
        for (var i = 0; i < 20; i++)
        {
            // The node that got the message counts the proxy's one subscriber connection (a
            // channel and a pattern subscription on it): at least one receiver.
            Assert.True(await publisher.PublishAsync(RedisChannel.Literal("se:news"), "m" + i) >= 1);
        }

        await WaitUntilAsync(() => onChannel.Count >= 20 && onPattern.Count >= 20, "20 messages on the channel and the pattern");
        await Task.Delay(300);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "m" + i), onChannel);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "se:news=m" + i), onPattern);
    }

    [Fact]
    public async Task Ioredis_and_node_redis_subscribe_psubscribe_and_ssubscribe_and_get_each_message_once()
    {
        var result = await NodeClientScript.RunAsync("pubsub-basics.js", _cluster.ProxyPort, output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("{\"ioredis\":{\"message\":10,\"pmessage\":10,\"smessage\":10},\"nodeRedis\":{\"message\":10,\"pmessage\":10,\"smessage\":10}}", result.Json);
    }

    [Fact]
    public async Task Redis_cli_subscribe_prints_the_messages_published_through_the_proxy()
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", _cluster.ProxyPort.ToString(CultureInfo.InvariantCulture), "SUBSCRIBE", "cli:chan" })
        {
            info.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(info)!;
        try
        {
            var lines = new List<string>();
            using var cts = new CancellationTokenSource(s_wait);
            async Task ReadUntilAsync(string expected)
            {
                while (!lines.Contains(expected))
                {
                    lines.Add(await cli.StandardOutput.ReadLineAsync(cts.Token) ?? throw new IOException("redis-cli ended: " + string.Join('|', lines)));
                }
            }

            await ReadUntilAsync("cli:chan");
            await ReadUntilAsync("1");
            await using var publisher = await RespConnection.ConnectAsync(_cluster.ProxyPort);
            Assert.Equal(":1\r\n", await publisher.CommandAsync("PUBLISH", "cli:chan", "hello from the ring"));
            await ReadUntilAsync("hello from the ring");
            Assert.Equal(["subscribe", "cli:chan", "1", "message", "cli:chan", "hello from the ring"], lines);
        }
        finally
        {
            cli.Kill();
        }
    }

    [Fact]
    public async Task Confirmations_and_subscribed_mode_errors_are_a_nodes_own_byte_for_byte()
    {
        // The same conversation with a node directly and with the proxy: every reply identical.
        string[][] conversation =
        [
            ["SUBSCRIBE", "a", "b"], ["SUBSCRIBE", "a"], ["PSUBSCRIBE", "p*"], ["SSUBSCRIBE", "s1"],
            ["PING"], ["PING", "hi"], ["GET", "k"], ["PUBSUB", "NUMSUB", "a"], ["CLIENT", "INFO"],
            ["UNSUBSCRIBE", "b", "never"], ["PUNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["UNSUBSCRIBE"], ["UNSUBSCRIBE"],
            ["GET", "k"], ["SUNSUBSCRIBE", "s1"], ["SUNSUBSCRIBE"], ["GET", "k"], ["PING"],
            ["SUBSCRIBE", "again"], ["RESET"], ["GET", "k"], ["UNSUBSCRIBE"],
        ];

        async Task<List<string>> TalkAsync(int port)
        {
            await using var connection = await RespConnection.ConnectAsync(port);
            var replies = new List<string>();
            foreach (var command in conversation)
            {
                await connection.SendAsync(command);
                var confirmations = command[0].EndsWith("SUBSCRIBE", StringComparison.Ordinal) && command.Length > 1 ? command.Length - 1 : 1;
                for (var i = 0; i < confirmations; i++)
                {
                    replies.Add(string.Join(' ', command) + " -> " + await connection.ReadReplyAsync());
                }
            }

            return replies;
        }

        var direct = await TalkAsync(_cluster.Nodes[0].Port);
        var proxied = await TalkAsync(_cluster.ProxyPort);
        output.WriteLine(string.Join('\n', proxied));
        Assert.Equal(direct, proxied);
        Assert.Contains("GET k -> -ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", proxied);
        Assert.Contains("PING -> *2\r\n$4\r\npong\r\n$0\r\n\r\n", proxied);
    }

    [Fact]
    public async Task Many_subscribers_of_one_channel_each_get_every_message_exactly_once()
    {
        var subscribers = new List<RespConnection>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var subscriber = await RespConnection.ConnectAsync(_cluster.ProxyPort);
                subscribers.Add(subscriber);
                Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$3\r\nfan\r\n:1\r\n", await subscriber.CommandAsync("SUBSCRIBE", "fan"));
            }

            await using var publisher = await RespConnection.ConnectAsync(_cluster.ProxyPort);
            Assert.Equal("*2\r\n$3\r\nfan\r\n:40\r\n", await publisher.CommandAsync("PUBSUB", "NUMSUB", "fan"));
            for (var m = 0; m < 25; m++)
            {
                // One subscriber connection per node per proxy: the node counts one receiver.
                Assert.Equal(":1\r\n", await publisher.CommandAsync("PUBLISH", "fan", "m" + m));
            }

            foreach (var subscriber in subscribers)
            {
                for (var m = 0; m < 25; m++)
                {
                    Assert.Equal($"*3\r\n$7\r\nmessage\r\n$3\r\nfan\r\n${("m" + m).Length}\r\nm{m}\r\n", await subscriber.ReadReplyAsync());
                }

                // A duplicate would arrive before the answer to this PING.
                Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", await subscriber.CommandAsync("PING"));
            }
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Subscribers_keep_receiving_without_resubscribing_after_the_channels_primary_is_killed()
    {
        await using var subscriber = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await subscriber.CommandAsync("SUBSCRIBE", "survivor");
        await using var publisher = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal(":1\r\n", await publisher.CommandAsync("PUBLISH", "survivor", "before"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$8\r\nsurvivor\r\n$6\r\nbefore\r\n", await subscriber.ReadReplyAsync());

        // The primary is the node PUBLISH went to; the other owner has the proxy subscribed too.
        var primary = await NodeThatRanPublishAsync();
        var owners = 0;
        foreach (var node in _cluster.Nodes)
        {
            owners += (await node.CommandAsync("PUBSUB", "NUMSUB", "survivor")).EndsWith(":1\r\n", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Equal(2, owners);
        primary.Kill();

        var published = new List<string>();
        for (var m = 0; m < 20; m++)
        {
            // A PUBLISH that met the dead connection fails over to the next owner at once.
            var reply = await publisher.CommandAsync("PUBLISH", "survivor", "after" + m);
            Assert.Equal(":1\r\n", reply);
            published.Add("after" + m);
        }

        foreach (var message in published)
        {
            Assert.Equal($"*3\r\n$7\r\nmessage\r\n$8\r\nsurvivor\r\n${message.Length}\r\n{message}\r\n", await subscriber.ReadReplyAsync());
        }

        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", await subscriber.CommandAsync("PING"));
    }

    [Fact]
    public async Task A_subscriber_connection_the_node_closed_is_reopened_and_subscribed_again()
    {
        await using var subscriber = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await subscriber.CommandAsync("SUBSCRIBE", "reopened");
        await subscriber.CommandAsync("PSUBSCRIBE", "reo*");
        foreach (var node in _cluster.Nodes)
        {
            await node.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
        }

        // Each node counts the proxy again once its subscriber connection is back.
        await using var publisher = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var stopwatch = Stopwatch.StartNew();
        string reply;
        while ((reply = await publisher.CommandAsync("PUBLISH", "reopened", "probe")) != ":2\r\n")
        {
            Assert.True(stopwatch.Elapsed < s_wait, "the proxy did not subscribe again: " + reply);
            await Task.Delay(50);
        }

        // Every probe reached the proxy once on the channel and once on the pattern, none twice.
        var frames = new List<string>();
        await subscriber.SendAsync("PING");
        while (true)
        {
            var frame = await subscriber.ReadReplyAsync();
            if (frame.StartsWith("*2\r\n$4\r\npong", StringComparison.Ordinal))
            {
                break;
            }

            frames.Add(frame);
        }

        var messages = frames.Count(f => f.StartsWith("*3\r\n$7\r\nmessage", StringComparison.Ordinal));
        var pmessages = frames.Count(f => f.StartsWith("*4\r\n$8\r\npmessage", StringComparison.Ordinal));
        Assert.True(messages >= 1, "the last probe arrived on the channel");
        Assert.True(pmessages >= 1, "the last probe arrived on the pattern");
        Assert.Equal(frames.Count, messages + pmessages);
        Assert.True(messages - pmessages is >= -1 and <= 1, $"{messages} messages, {pmessages} pmessages");
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_is_closed_by_the_output_limit_while_others_keep_receiving()
    {
        // A small receive buffer keeps what the kernel takes for the silent client small.
        using var silent = new TcpClient { ReceiveBufferSize = 4096 };
        await silent.ConnectAsync("127.0.0.1", _cluster.ProxyPort);
        var stream = silent.GetStream();
        await stream.WriteAsync(RawRedis.Encode(["SUBSCRIBE", "flood"]));
        await using var reader = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await reader.CommandAsync("SUBSCRIBE", "flood");
        await using var publisher = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var admin = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var stopwatch = Stopwatch.StartNew();
        while (!(await publisher.CommandAsync("PUBSUB", "NUMSUB", "flood")).EndsWith(":2\r\n", StringComparison.Ordinal))
        {
            Assert.True(stopwatch.Elapsed < s_wait, "the silent client did not subscribe");
            await Task.Delay(20);
        }

        var payload = new string('x', 64 * 1024);
        const int Messages = 400;
        var reading = Task.Run(async () =>
        {
            for (var m = 0; m < Messages; m++)
            {
                var frame = await reader.ReadReplyAsync();
                Assert.EndsWith($"$5\r\nflood\r\n$65536\r\n{payload}\r\n", frame, StringComparison.Ordinal);
            }
        });
        for (var m = 0; m < Messages; m++)
        {
            await publisher.CommandAsync("PUBLISH", "flood", payload);
        }

        await reading;
        stopwatch.Restart();
        while (!(await admin.CommandAsync("INFO", "stats")).Contains("client_output_buffer_limit_disconnections:1\r\n", StringComparison.Ordinal))
        {
            Assert.True(stopwatch.Elapsed < s_wait, "the silent client was not closed for its output buffer");
            await Task.Delay(20);
        }

        Assert.EndsWith(":1\r\n", await admin.CommandAsync("PUBSUB", "NUMSUB", "flood"), StringComparison.Ordinal);

        // The silent client's connection ends once what was already sent is read.
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(s_wait);
        var total = 0L;
        int read;
        while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
        {
            total += read;
        }

        output.WriteLine($"the silent client got {total} bytes before the close");
        Assert.True(total < Messages * 65536L, "it did not get every message");
    }

    [Fact]
    public async Task A_channel_is_subscribed_once_per_owner_and_released_when_its_last_subscriber_leaves_or_disconnects()
    {
        var first = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var second = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await first.CommandAsync("SUBSCRIBE", "counted");
        await second.CommandAsync("SUBSCRIBE", "counted");
        await second.CommandAsync("PSUBSCRIBE", "count*");

        // Two clients, one subscription per owner node (2 copies) and the pattern on all 3 nodes.
        await WaitForNodesAsync(channelOwners: 2, patternNodes: 3);

        await first.DisposeAsync();
        await Task.Delay(200);
        await WaitForNodesAsync(channelOwners: 2, patternNodes: 3);

        // The last subscriber unsubscribes: the proxy leaves the channel on every owner.
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$7\r\ncounted\r\n:1\r\n", await second.CommandAsync("UNSUBSCRIBE", "counted"));
        await WaitForNodesAsync(channelOwners: 0, patternNodes: 3);

        // A client that disconnects while subscribed releases the pattern too.
        await second.DisposeAsync();
        await WaitForNodesAsync(channelOwners: 0, patternNodes: 0);
    }

    private async Task WaitForNodesAsync(int channelOwners, int patternNodes)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var owners = 0;
            var patterns = 0;
            foreach (var node in _cluster.Nodes)
            {
                owners += (await node.CommandAsync("PUBSUB", "NUMSUB", "counted")).EndsWith(":1\r\n", StringComparison.Ordinal) ? 1 : 0;
                patterns += (await node.CommandAsync("PUBSUB", "NUMPAT")) == ":1\r\n" ? 1 : 0;
            }

            if (owners == channelOwners && patterns == patternNodes)
            {
                return;
            }

            Assert.True(stopwatch.Elapsed < s_wait, $"the nodes show {owners} channel subscriptions and {patterns} pattern ones, expected {channelOwners} and {patternNodes}");
            await Task.Delay(50);
        }
    }

    private async Task<RedisServer> NodeThatRanPublishAsync()
    {
        foreach (var node in _cluster.Nodes)
        {
            if ((await node.CommandAsync("INFO", "commandstats")).Contains("cmdstat_publish:calls=", StringComparison.Ordinal))
            {
                return node;
            }
        }

        throw new InvalidOperationException("no node ran PUBLISH");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < s_wait, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
