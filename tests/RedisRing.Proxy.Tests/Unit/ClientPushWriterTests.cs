using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Server;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>
/// The session's push path on an in-memory pipe: messages never overtake the replies of the batch
/// that subscribed, RESP3 clients get push frames, and a client that does not read is closed at
/// its limit instead of queueing without bound.
/// </summary>
public sealed class ClientPushWriterTests
{
    /// <summary>The default user of a proxy without a password or named users.</summary>
    private static readonly RedisRing.Proxy.Acl.AclUser OpenDefaultUser = new RedisRing.Proxy.Acl.AclUsers(null, []).Default;

    private static readonly byte[] s_message = Encoding.ASCII.GetBytes("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");

    [Fact]
    public async Task A_message_queued_while_the_session_dispatches_follows_the_batchs_replies()
    {
        var pipe = new Pipe();
        var writer = new ClientPushWriter(pipe.Writer, new ClientState(1, "test", authenticated: true) { User = OpenDefaultUser }, Limit(0));

        // SUBSCRIBE is being dispatched: the message that arrives meanwhile must wait for its confirmation.
        writer.Activate();
        writer.Push(s_message);
        await writer.BeforeRepliesAsync();
        pipe.Writer.Write("+confirmation\r\n"u8);
        await pipe.Writer.FlushAsync();
        writer.AfterReplies();

        Assert.Equal("+confirmation\r\n" + Encoding.ASCII.GetString(s_message), await ReadAsync(pipe.Reader, 15 + s_message.Length));
    }

    [Fact]
    public async Task A_resp3_client_gets_each_message_as_a_push_frame()
    {
        var pipe = new Pipe();
        var writer = new ClientPushWriter(pipe.Writer, new ClientState(1, "test", authenticated: true) { User = OpenDefaultUser, Protocol = 3 }, Limit(0));
        writer.Activate();
        await writer.BeforeRepliesAsync();
        writer.AfterReplies();

        writer.Push(s_message);

        Assert.Equal(">" + Encoding.ASCII.GetString(s_message)[1..], await ReadAsync(pipe.Reader, s_message.Length));
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_closed_once_at_its_limit_and_later_messages_are_dropped()
    {
        // The pipe stands for a socket that stopped taking bytes after 4 KB.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4096, resumeWriterThreshold: 2048));
        var closes = 0;
        var limit = new ClientOutputLimit(16 * 1024, 0, TimeSpan.Zero, new FakeTimeProvider(), (_, _, _) => closes++);
        var writer = new ClientPushWriter(pipe.Writer, new ClientState(1, "test", authenticated: true) { User = OpenDefaultUser }, limit);
        writer.Activate();
        await writer.BeforeRepliesAsync();
        writer.AfterReplies();

        var frame = new byte[1024];
        frame[0] = (byte)'*';
        for (var i = 0; i < 1000; i++)
        {
            writer.Push(frame);
        }

        Assert.Equal(1, closes);
        Assert.True(limit.IsExceeded);
        Assert.True(writer.HeldBytes <= 17 * 1024 + 4096, $"held {writer.HeldBytes} bytes");
        await Task.Yield();
    }

    private static ClientOutputLimit Limit(long hard) => new(hard, 0, TimeSpan.Zero, new FakeTimeProvider(), (_, _, _) => { });

    private static async Task<string> ReadAsync(PipeReader reader, int length)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await reader.ReadAsync(cts.Token);
            if (result.Buffer.Length >= length)
            {
                var text = Encoding.ASCII.GetString(result.Buffer.ToArray());
                reader.AdvanceTo(result.Buffer.End);
                return text;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
