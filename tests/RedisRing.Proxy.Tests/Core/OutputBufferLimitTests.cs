namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// The per-client output buffer limit: the reply bytes the proxy holds for one client, completed
/// and not yet sent, are bounded like Redis's client-output-buffer-limit (fake clock).
/// </summary>
public sealed class OutputBufferLimitTests
{
    private const int ValueLength = 100 * 1024;
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);
    private static readonly string s_value = new('v', ValueLength);

    [Fact]
    public async Task A_batch_whose_replies_pass_the_hard_limit_closes_its_client_alone_and_is_counted()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 1, replicas: 1, o => o with { ClientOutputHardLimit = 1024 * 1024, ClientOutputSoftLimit = 0 });
        proxy.Backends[0].Set("big", s_value);
        var greedy = proxy.Connect();
        var other = proxy.Connect();

        greedy.Pipeline([.. Enumerable.Repeat<string[]>(["GET", "big"], 20)]);

        await Eventually.TrueAsync(() => greedy.IsClosed, "the client over its hard limit closed");
        Assert.True(greedy.Unread <= 1024 * 1024, $"{greedy.Unread} bytes sent to a client over a limit of 1 MB");
        Assert.Equal(1, proxy.Context.Stats.OutputBufferLimitDisconnections);
        other.Pipeline([.. Enumerable.Repeat<string[]>(["GET", "big"], 5)]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(s_value, await other.ReadAsync());
        }
    }

    [Fact]
    public async Task Replies_held_over_the_soft_limit_for_longer_than_the_soft_time_close_the_client_on_the_timer()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 2, replicas: 1, o => o with
        {
            CommandTimeout = TimeSpan.FromHours(1),
            ClientOutputHardLimit = 0,
            ClientOutputSoftLimit = 1024 * 1024,
            ClientOutputSoftTime = TimeSpan.FromSeconds(10),
        });
        var stalled = proxy.KeyOn(0);
        var big = proxy.KeyOn(1);
        proxy.Backends[1].Set(big, s_value);
        proxy.Backends[0].HoldReplies();
        var waiting = proxy.Connect();
        var reader = proxy.Connect();

        // The first reply does not come, so the 2 MB behind it wait to be written in order.
        waiting.Pipeline([["GET", stalled], .. Enumerable.Repeat<string[]>(["GET", big], 20)]);
        await Eventually.TrueAsync(() => waiting.Session.HeldReplyBytes > 20 * ValueLength, "the replies behind the stalled one held");

        // Over the soft limit too, but only until its batch is sent.
        reader.Pipeline([.. Enumerable.Repeat<string[]>(["GET", big], 20)]);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(s_value, await reader.ReadAsync());
        }

        proxy.Time.Advance(TimeSpan.FromSeconds(10));
        proxy.Server.CheckTimers();
        Assert.False(waiting.ServerEndClosed, "closed at exactly the soft time");

        proxy.Time.Advance(s_tick);
        proxy.Server.CheckTimers();

        Assert.True(waiting.ServerEndClosed);
        Assert.False(reader.ServerEndClosed, "a client that read its replies was closed");
        Assert.Equal(1, proxy.Context.Stats.OutputBufferLimitDisconnections);
        Assert.Equal(0, waiting.Unread);

        // The held reply comes after the close: dropped, not sent, and the session ends.
        await Eventually.TrueAsync(() => waiting.IsClosed, "the closed client sees the end of the stream");
        proxy.Backends[0].ReleaseReplies();
        await Eventually.TrueAsync(() => proxy.Context.Stats.ConnectedClients == 1, "the closed client's session ended");
        Assert.Equal(0, waiting.Unread);
        reader.Send("GET", big);
        Assert.Equal(s_value, await reader.ReadAsync());
    }
}
