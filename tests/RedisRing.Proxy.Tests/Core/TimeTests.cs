using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>Command timeouts, reconnect back-off and idle clients, on a FakeTimeProvider.</summary>
public sealed class TimeTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_backend_silent_and_deaf_to_PING_past_the_liveness_timeout_is_closed_and_the_read_fails_over()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2, o => o with { LivenessTimeout = TimeSpan.FromSeconds(1) });
        var key = proxy.KeyOnPrimaryZeroThatStaysDown(onPrimary: null, "from-replica");
        proxy.Backends[0].Stall();
        var client = proxy.Connect();
        client.Send("GET", key);
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("GET").Count == 1, "the stalled primary read the GET");

        proxy.Time.Advance(TimeSpan.FromSeconds(1));
        proxy.Server.CheckTimers();

        Assert.True(proxy.Node(0).IsConnected, "closed before the timeout");
        Assert.Null(client.TryRead());

        // Past the liveness timeout the verdict also needs the probe's word: its connection is
        // refused here (the node is down), which the probe learns on another thread.
        proxy.Time.Advance(s_tick);
        await Eventually.TrueAsync(() =>
        {
            proxy.Server.CheckTimers();
            return !proxy.Node(0).IsConnected;
        }, "the silent primary closed once its probe failed");

        Assert.Equal("from-replica", await client.ReadAsync());
        Assert.Equal(BackendState.Down, proxy.Node(0).State);
    }

    [Fact]
    public async Task A_node_owing_the_reply_to_a_large_write_gets_the_long_liveness_allowance()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2, o => o with { LivenessTimeout = TimeSpan.FromSeconds(1), LongCommandLivenessTimeout = TimeSpan.FromSeconds(6) });
        var key = proxy.KeyOn(0, replica: 1);
        proxy.Backends[0].Stall();
        var client = proxy.Connect();
        client.Send("SET", key, new string('v', 2 * 1024 * 1024));
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("SET").Count == 1, "the stalled primary read the SET");

        // Stalled after half a second: the probe (on another thread) sends its PING, unanswered.
        for (var i = 0; i < 12; i++)
        {
            proxy.Time.Advance(TimeSpan.FromMilliseconds(50));
            proxy.Server.CheckTimers();
        }

        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("PING").Count >= 1, "the probe's PING reached the stalled node");

        // Silent and deaf to PING for 3 s in all: a small command's node would be down by now.
        for (var i = 0; i < 48; i++)
        {
            proxy.Time.Advance(TimeSpan.FromMilliseconds(50));
            proxy.Server.CheckTimers();
        }

        Assert.True(proxy.Node(0).IsConnected, "a node taking a 2 MB write was marked down within 3 s");
        Assert.True(proxy.Node(0).IsStalled);

        // Past the long allowance it is down, and the write completes on the replica.
        await Eventually.TrueAsync(() =>
        {
            proxy.Time.Advance(TimeSpan.FromMilliseconds(50));
            proxy.Server.CheckTimers();
            return !proxy.Node(0).IsConnected;
        }, "the silent primary closed after the long allowance");
        Assert.Equal("+OK", await client.ReadAsync());
    }

    [Fact]
    public async Task A_command_past_the_command_timeout_fails_alone_and_its_late_reply_is_dropped()
    {
        // Liveness is out of the way (an hour): only the per-command timeout acts.
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2, o => o with { CommandTimeout = TimeSpan.FromSeconds(1), LivenessTimeout = TimeSpan.FromHours(1) });
        var key = proxy.KeyOn(0, replica: 1);
        proxy.Backends[0].Set(key, "from-primary");
        proxy.Backends[1].Set(key, "from-replica");
        var client = proxy.Connect();
        client.Send("GET", key);
        Assert.Equal("from-primary", await client.ReadAsync());
        proxy.Backends[0].HoldReplies();
        client.Send("GET", key);
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("GET").Count == 2, "the primary read the second GET");

        proxy.Time.Advance(TimeSpan.FromSeconds(1) + s_tick);
        proxy.Server.CheckTimers();

        // Slow is not dead: the read is not retried on the replica, the connection stays.
        var reply = await client.ReadAsync();
        Assert.Contains("TIMEOUT no reply from node", reply, StringComparison.Ordinal);
        Assert.True(proxy.Node(0).IsConnected);
        Assert.Equal(BackendState.Up, proxy.Node(0).State);
        Assert.Equal(1, proxy.Node(0).CommandTimeouts);

        // The late reply is dropped; the next command on the same connection gets its own reply.
        proxy.Backends[0].ReleaseReplies();
        client.Send("GET", key);
        Assert.Equal("from-primary", await client.ReadAsync());
    }

    [Fact]
    public async Task The_proxy_timer_finds_an_overdue_backend_on_the_injected_clock()
    {
        // An hour of fake time: only a timer and timestamps on the injected clock can see it pass.
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 3, replicas: 2, o => o with { LivenessTimeout = TimeSpan.FromHours(1), CommandTimeout = TimeSpan.FromHours(2) });
        var key = proxy.KeyOnPrimaryZeroThatStaysDown(onPrimary: null, "from-replica");
        proxy.Backends[0].Stall();
        var timers = proxy.Time.TimersCreated;
        _ = proxy.RunTimersAsync();
        Assert.Equal(timers + 1, proxy.Time.TimersCreated);
        var client = proxy.Connect();
        client.Send("GET", key);
        await Eventually.TrueAsync(() => proxy.Backends[0].ReceivedOf("GET").Count == 1, "the stalled primary read the GET");

        proxy.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(100));
        // The timer's next ticks see the probe's refused connection.
        await Eventually.TrueAsync(() =>
        {
            proxy.Time.Advance(TimeSpan.FromMilliseconds(50));
            return !proxy.Node(0).IsConnected;
        }, "the silent primary closed on the timer's ticks");

        Assert.Equal("from-replica", await client.ReadAsync());
    }

    [Fact]
    public async Task Reconnect_back_off_doubles_from_50_ms_up_to_2_s()
    {
        var time = new CountingFakeTimeProvider();
        var connector = new ScriptedConnector(time);
        var options = new ProxyOptions();
        var routing = new CurrentRoutingTable(RoutingTable.Empty(new RingOptions(), time));
        var node = new BackendNodeFactory(options, routing, NullLoggerFactory.Instance, time, connector).Create(new NodeEndpoint("10.0.0.1", 6379, 1, null));
        var expected = new[] { 50, 100, 200, 400, 800, 1600, 2000, 2000 }.Select(ms => TimeSpan.FromMilliseconds(ms)).ToArray();
        var realTime = Stopwatch.StartNew();

        node.StartRecovery();
        await Eventually.TrueAsync(() => connector.Attempts.Count == 1, "the first attempt, at once");
        foreach (var delay in expected)
        {
            var attempts = connector.Attempts.Count;
            var timers = time.TimersCreated;
            connector.Attempts[^1].Fail();

            // The failure is handled on the recovery's own thread when it had not awaited the
            // attempt yet: advance only once its back-off delay is on the fake clock.
            await Eventually.TrueAsync(() => time.TimersCreated > timers, "the back-off delay started");
            time.Advance(delay - s_tick);
            Assert.Equal(attempts, connector.Attempts.Count);
            time.Advance(s_tick);
            await Eventually.TrueAsync(() => connector.Attempts.Count == attempts + 1, $"the attempt after {delay.TotalMilliseconds} ms");
        }

        var made = connector.Attempts;
        Assert.Equal(expected, made.Zip(made.Skip(1), (a, b) => b.At - a.At));

        // Had the delays run on the real clock they would have taken over 7 s.
        Assert.True(realTime.Elapsed < TimeSpan.FromSeconds(3), $"took {realTime.Elapsed}");

        // The next attempt succeeds: the node comes up and stops trying.
        var server = new FakeRedisBackend("10.0.0.1:6379");
        connector.Attempts[^1].Connect(server.Accept());
        await Eventually.TrueAsync(() => node.State == BackendState.Up, "the node up");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(expected.Length + 1, connector.Attempts.Count);
    }

    [Fact]
    public async Task A_client_idle_for_longer_than_the_idle_timeout_is_closed()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 1, replicas: 1, o => o with { ClientIdleTimeout = TimeSpan.FromSeconds(10) });
        var client = proxy.Connect();
        var busy = proxy.Connect();
        client.Send("PING");
        busy.Send("PING");
        Assert.Equal("+PONG", await client.ReadAsync());
        Assert.Equal("+PONG", await busy.ReadAsync());

        proxy.Time.Advance(TimeSpan.FromSeconds(9));
        busy.Send("PING");
        Assert.Equal("+PONG", await busy.ReadAsync());
        proxy.Time.Advance(TimeSpan.FromSeconds(1));
        proxy.Server.CheckTimers();
        Assert.False(client.ServerEndClosed, "closed at exactly the idle timeout");

        proxy.Time.Advance(s_tick);
        proxy.Server.CheckTimers();

        Assert.True(client.ServerEndClosed);
        Assert.False(busy.ServerEndClosed, "a client active 1 s ago was closed");
        await Eventually.TrueAsync(() => client.IsClosed, "the client sees its connection closed");
        busy.Send("PING");
        Assert.Equal("+PONG", await busy.ReadAsync());
    }
}
