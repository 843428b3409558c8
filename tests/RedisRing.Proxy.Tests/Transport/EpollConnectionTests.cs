using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tests.Transport;

/// <summary>The proxy's own epoll transport against a plain socket peer on loopback.</summary>
public sealed class EpollConnectionTests
{
    private static readonly PipeOptions s_smallPipes = new(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, minimumSegmentSize: 4096, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private static async Task<(EpollConnection Connection, Socket Peer)> ConnectAsync(Func<Socket, Task>? beforeWrapping = null)
    {
        Assert.True(EpollNative.IsSupported, "the epoll transport exists on x86-64 Linux only, where the proxy runs");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepted = listener.AcceptAsync();
        await peer.ConnectAsync(listener.LocalEndPoint!);
        var socket = await accepted;
        if (beforeWrapping is not null)
        {
            await beforeWrapping(peer);
        }

        return (new EpollConnection(socket, s_smallPipes, s_smallPipes, EpollLoop.Shared), peer);
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31 + (i >> 11));
        }

        return bytes;
    }

    [Fact]
    public async Task Bytes_flushed_faster_than_the_peer_reads_all_arrive_in_order()
    {
        var (connection, peer) = await ConnectAsync();
        using var _ = connection;
        using var __ = peer;
        var data = Pattern(16 * 1024 * 1024);

        // Far more than the socket buffers hold, with nobody reading yet: the sender must wait
        // for room and carry on when the peer starts reading.
        var writing = connection.Output.WriteAsync(data).AsTask();
        await Task.Delay(200);
        Assert.False(writing.IsCompleted);
        var received = new byte[data.Length];
        var total = 0;
        while (total < received.Length)
        {
            var read = await peer.ReceiveAsync(received.AsMemory(total));
            Assert.NotEqual(0, read);
            total += read;
        }

        Assert.Equal(data, received);
        Assert.False((await writing).IsCompleted);
    }

    [Fact]
    public async Task Input_beyond_the_pause_threshold_resumes_when_the_reader_catches_up()
    {
        var (connection, peer) = await ConnectAsync();
        using var _ = connection;
        using var __ = peer;
        var data = Pattern(4 * 1024 * 1024);
        var sending = peer.SendAsync(data);

        // Read slowly at first, so the receiver stops at the threshold and must resume.
        await Task.Delay(200);
        var received = new MemoryStream();
        while (received.Length < data.Length)
        {
            var result = await connection.Input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            connection.Input.AdvanceTo(result.Buffer.End);
            Assert.False(result.IsCompleted && received.Length < data.Length, "input ended early");
        }

        await sending;
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task A_peer_that_closes_ends_the_input()
    {
        var (connection, peer) = await ConnectAsync();
        using var _ = connection;
        await peer.SendAsync("bye"u8.ToArray());
        peer.Dispose();
        Assert.Equal("bye", await ReadToEndAsync(connection));
    }

    [Fact]
    public async Task Bytes_and_the_end_of_the_stream_reported_in_one_event_are_both_seen()
    {
        // Both are queued before the socket joins the epoll set, so one edge reports them: the
        // short read of the bytes must not be taken as "nothing more to come".
        var (connection, _) = await ConnectAsync(async peer =>
        {
            await peer.SendAsync("bye"u8.ToArray());
            peer.Dispose();
            await Task.Delay(50);
        });
        using var __ = connection;
        Assert.Equal("bye", await ReadToEndAsync(connection));
    }

    private static async Task<string> ReadToEndAsync(EpollConnection connection)
    {
        var seen = new List<byte>();
        while (true)
        {
            var result = await connection.Input.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            seen.AddRange(result.Buffer.ToArray());
            connection.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return System.Text.Encoding.ASCII.GetString(seen.ToArray());
            }
        }
    }

    [Fact]
    public async Task Dispose_closes_the_socket_and_ends_the_input()
    {
        var (connection, peer) = await ConnectAsync();
        using var __ = peer;
        var pending = connection.Input.ReadAsync();
        connection.Dispose();

        var result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.IsCompleted);
        var buffer = new byte[16];
        Assert.Equal(0, await peer.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10)));
        var flushed = await connection.Output.WriteAsync("late"u8.ToArray());
        Assert.True(flushed.IsCompleted);
    }
}
