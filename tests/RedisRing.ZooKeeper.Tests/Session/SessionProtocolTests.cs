using System.Buffers.Binary;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests.Session;

/// <summary>
/// What the client puts on the wire for its session, checked on a fake server that records it
/// (a real server does not show what it received).
/// </summary>
public sealed class SessionProtocolTests
{
    [Fact]
    public async Task Reconnect_carries_the_session_and_the_last_zxid_seen_so_a_behind_server_can_refuse_it()
    {
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            var xid = await FakeZooKeeperServer.ReadRequestAsync(stream);
            var zxid = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(zxid, 0x5678);
            await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(16), FakeZooKeeperServer.Int(xid), zxid, FakeZooKeeperServer.Int((int)ErrorCode.NoNode));
            await FakeZooKeeperServer.ReadRequestAsync(stream);
            stream.Close();
        });
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint });
        Assert.Null(await client.ExistsAsync("/a"));
        Assert.Equal(0x5678, client.LastZxid);
        await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/b").WaitAsync(TimeSpan.FromSeconds(10)));
        await client.WaitConnectedAsync(TimeSpan.FromSeconds(10));

        var (firstZxid, firstSession) = Parse(server.ConnectRequests[0]);
        var (secondZxid, secondSession) = Parse(server.ConnectRequests[1]);
        Assert.Equal((0L, 0L), (firstZxid, firstSession));
        Assert.Equal((0x5678L, 0x1234L), (secondZxid, secondSession));
    }

    [Fact]
    public async Task Idle_client_pings_about_every_third_of_the_session_timeout()
    {
        var pings = 0;
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            while (true)
            {
                var xid = await FakeZooKeeperServer.ReadRequestAsync(stream);
                if (xid == -2)
                {
                    Interlocked.Increment(ref pings);
                }

                await FakeZooKeeperServer.WriteAsync(stream, FakeZooKeeperServer.Int(16), FakeZooKeeperServer.Int(xid), new byte[8], FakeZooKeeperServer.Int(0));
            }
        })
        { TimeoutMs = 1500 };
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint, SessionTimeout = TimeSpan.FromMilliseconds(1500) });
        await Task.Delay(TimeSpan.FromSeconds(3));

        // A ping per ~500 ms of silence: about 6 in 3 s; a busy test machine may delay a few.
        Assert.InRange(Volatile.Read(ref pings), 3, 8);
        Assert.Equal(ZooKeeperState.Connected, client.State);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Server_that_stops_answering_is_given_up_and_the_client_moves_on()
    {
        await using var server = new FakeZooKeeperServer(async stream =>
        {
            while (true)
            {
                await FakeZooKeeperServer.ReadRequestAsync(stream); // swallows pings: no answer
            }
        })
        { TimeoutMs = 6000 };

        // The client gives the silent server up after two thirds of the session timeout (4 s) and
        // must reconnect before the whole timeout has passed, or it rightly declares the session
        // expired itself. With 1.5 s the 0.5 s between the two was too little on a loaded 2-core
        // machine (the give-up came late and the session expired); 6 s leaves at least 1.5 s.
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint, SessionTimeout = TimeSpan.FromSeconds(6) });
        var states = new StateRecorder(client);
        await states.WaitForAsync(ZooKeeperState.Disconnected, TimeSpan.FromSeconds(10));
        await client.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Connections);
    }

    private static (long LastZxid, long SessionId) Parse(byte[] connectRequest) =>
        (BinaryPrimitives.ReadInt64BigEndian(connectRequest.AsSpan(4)), BinaryPrimitives.ReadInt64BigEndian(connectRequest.AsSpan(16)));
}
