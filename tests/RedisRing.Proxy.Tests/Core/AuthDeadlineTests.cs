namespace RedisRing.Proxy.Tests.Core;

/// <summary>The auth deadline: with a password, a client must authenticate within a time of connecting (fake clock).</summary>
public sealed class AuthDeadlineTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_client_trickling_a_request_is_closed_at_the_auth_deadline_and_one_that_authenticated_is_not()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 1, replicas: 1, o => o with { Password = "pw", AuthTimeout = TimeSpan.FromSeconds(10) });
        var stranger = proxy.Connect();
        var member = proxy.Connect();
        var reset = proxy.Connect();
        member.Send("AUTH", "pw");
        reset.Send("AUTH", "pw");
        reset.Send("RESET");
        Assert.Equal("+OK", await member.ReadAsync());
        Assert.Equal("+OK", await reset.ReadAsync());
        Assert.Equal("+RESET", await reset.ReadAsync());

        // One byte a second of an AUTH that never ends: every byte is activity, none is AUTH.
        var request = "*2\r\n$4\r\nAUTH\r\n$100\r\n";
        for (var second = 0; second < 10; second++)
        {
            stranger.SendRaw(request[second].ToString());
            proxy.Time.Advance(TimeSpan.FromSeconds(1));
            proxy.Server.CheckTimers();
        }

        Assert.False(stranger.ServerEndClosed, "closed at exactly the deadline");

        proxy.Time.Advance(s_tick);
        proxy.Server.CheckTimers();

        Assert.True(stranger.ServerEndClosed);
        Assert.False(member.ServerEndClosed, "an authenticated client was closed");
        Assert.False(reset.ServerEndClosed, "a client that authenticated before its RESET was closed");
        member.Send("PING");
        Assert.Equal("+PONG", await member.ReadAsync());
    }

    [Fact]
    public async Task Without_a_password_no_client_has_an_auth_deadline()
    {
        using var proxy = await ProxyCoreHarness.StartAsync(nodes: 1, replicas: 1, o => o with { AuthTimeout = TimeSpan.FromSeconds(1) });
        var client = proxy.Connect();

        proxy.Time.Advance(TimeSpan.FromMinutes(1));
        proxy.Server.CheckTimers();

        Assert.False(client.ServerEndClosed);
        client.Send("PING");
        Assert.Equal("+PONG", await client.ReadAsync());
    }
}
