using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Session;

/// <summary>Against a fake server: a real one cannot be made to send garbage.</summary>
public sealed class MisbehavingServerTests
{
    [Fact]
    public async Task Garbage_from_the_server_fails_the_request_with_connection_loss_and_the_client_reconnects()
    {
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            await FakeZooKeeperServer.ReadRequestAsync(stream);
            await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(int.MaxValue), new byte[64]);
            await Task.Delay(Timeout.Infinite);
        });
        await using var client = await ConnectAsync(server);

        await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/a").WaitAsync(TimeSpan.FromSeconds(10)));
        await client.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Connections);
        await CloseWithinAsync(client);
    }

    [Fact]
    public async Task Server_closing_in_the_middle_of_a_frame_fails_every_request_in_flight()
    {
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            for (var i = 0; i < 3; i++)
            {
                await FakeZooKeeperServer.ReadRequestAsync(stream);
            }

            await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(100), new byte[10]);
            stream.Close();
        });
        await using var client = await ConnectAsync(server);

        var requests = new[] { client.ExistsAsync("/a"), client.ExistsAsync("/b"), client.ExistsAsync("/c") };
        foreach (var request in requests)
        {
            await Assert.ThrowsAsync<ConnectionLossException>(() => request.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await CloseWithinAsync(client);
    }

    [Fact]
    public async Task Reply_to_an_unknown_xid_is_a_protocol_error()
    {
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            var xid = await FakeZooKeeperServer.ReadRequestAsync(stream);
            await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(16), FakeZooKeeperServer.Int(xid + 7), new byte[8], FakeZooKeeperServer.Int(0));
            await Task.Delay(Timeout.Infinite);
        });
        await using var client = await ConnectAsync(server);
        await Assert.ThrowsAsync<ConnectionLossException>(() => client.GetDataAsync("/a").WaitAsync(TimeSpan.FromSeconds(10)));
        await CloseWithinAsync(client);
    }

    [Fact]
    public async Task Garbage_handshake_never_connects_and_connect_gives_up()
    {
        var garbage = (Func<System.Net.Sockets.NetworkStream, Task>)(async stream =>
        {
            await FakeZooKeeperServer.ReadRequestAsync(stream);
            await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(3), [1, 2, 3]);
            stream.Close();
        });
        await using var server = new FakeZooKeeperServer(handshake: false, Enumerable.Repeat(garbage, 1000).ToArray());
        await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = server.Endpoint,
            SessionTimeout = TimeSpan.FromSeconds(1),
        }).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(server.Connections > 1, "the client keeps trying");
    }

    private static Task<ZooKeeperClient> ConnectAsync(FakeZooKeeperServer server) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint, SessionTimeout = TimeSpan.FromSeconds(4) });

    private static async Task CloseWithinAsync(ZooKeeperClient client)
    {
        await client.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ZooKeeperState.Closed, client.State);
    }
}
