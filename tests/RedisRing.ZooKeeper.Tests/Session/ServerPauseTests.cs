using System.Diagnostics;
using RedisRing.Testing;
using RedisRing.ZooKeeper.Tests.Fixtures;
using Xunit.Abstractions;

namespace RedisRing.ZooKeeper.Tests.Session;

/// <summary>
/// A real server paused with SIGSTOP for longer than the session timeout, then resumed: only the
/// server may decide whether the session outlived the pause. A server of the test's own, so that
/// no other test's session is paused with it.
/// </summary>
public sealed class ServerPauseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_sessionTimeout = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_pause = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Client_stays_disconnected_while_the_server_is_paused_and_then_reports_what_the_server_says()
    {
        await using var server = await ZooKeeperServer.StartAsync(output);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = server.Endpoint,
            SessionTimeout = s_sessionTimeout,
            LoggerFactory = new TestOutputLoggerFactory(output),
        });
        Assert.Equal(s_sessionTimeout, client.SessionTimeout);
        var states = new StateRecorder(client);
        await client.CreateAsync("/paused", mode: CreateMode.Ephemeral);
        var session = client.SessionId;

        int resumedAt;
        var paused = Stopwatch.StartNew();
        server.Signal("STOP");
        try
        {
            // The client gives the silent server up after two thirds of the timeout, then keeps
            // trying it (the kernel still accepts the connections; nobody answers them).
            await states.WaitForAsync(ZooKeeperState.Disconnected, TimeSpan.FromSeconds(10));
            var left = s_pause - paused.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }

            // Twice the session timeout without a word from the server: still only suspended.
            Assert.Equal(ZooKeeperState.Disconnected, client.State);
            Assert.DoesNotContain(ZooKeeperState.Expired, states.States);
            Assert.Equal(ZooKeeperState.Disconnected, states.States[^1]);
            resumedAt = states.States.Count;
        }
        finally
        {
            server.Signal("CONT");
        }

        // Resumed, the server either takes the reconnect first (same session) or expires the
        // session first and answers the reconnect with "expired". Either is right, as long as
        // the client reports what the server holds.
        var outcome = await states.WaitForAnyAsync([ZooKeeperState.Connected, ZooKeeperState.Expired], resumedAt, TimeSpan.FromSeconds(20));
        await using var observer = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint });
        var node = await observer.ExistsAsync("/paused");
        output.WriteLine($"paused {s_pause.TotalSeconds} s: the client reported {outcome}; the ephemeral node is {(node is null ? "gone" : "there")}");
        if (outcome == ZooKeeperState.Connected)
        {
            Assert.Equal(session, client.SessionId);
            Assert.Equal(session, node?.EphemeralOwner);
            Assert.Equal(session, (await client.ExistsAsync("/paused"))?.EphemeralOwner);
        }
        else
        {
            Assert.Null(node);
            await Assert.ThrowsAsync<SessionExpiredException>(() => client.ExistsAsync("/paused"));
        }
    }
}
