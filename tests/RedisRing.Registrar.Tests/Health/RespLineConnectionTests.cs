using System.Net;
using System.Net.Sockets;
using System.Text;
using RedisRing.Registrar.Health;

namespace RedisRing.Registrar.Tests.Health;

/// <summary>The probe's connection against a scripted loopback peer: no redis-server needed.</summary>
public sealed class RespLineConnectionTests : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));
    private TcpClient? _peer;
    private RespLineConnection? _connection;

    public async Task InitializeAsync()
    {
        _listener.Start();
        var accepting = _listener.AcceptTcpClientAsync(_timeout.Token).AsTask();
        _connection = await RespLineConnection.ConnectAsync("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, _timeout.Token);
        _peer = await accepting;
    }

    public async Task DisposeAsync()
    {
        await _connection!.DisposeAsync();
        _peer!.Dispose();
        _listener.Dispose();
        _timeout.Dispose();
    }

    private async Task ServeAsync(params string[] chunks)
    {
        foreach (var chunk in chunks)
        {
            await _peer!.GetStream().WriteAsync(Encoding.UTF8.GetBytes(chunk), _timeout.Token);
            await _peer.GetStream().FlushAsync(_timeout.Token);
        }
    }

    [Fact]
    public async Task Pipelined_commands_are_sent_as_one_RESP_stream()
    {
        await _connection!.SendAsync([["AUTH", "p\u00e4ss"], ["PING"], ["INFO"]], _timeout.Token);
        var expected = Encoding.UTF8.GetBytes("*2\r\n$4\r\nAUTH\r\n$5\r\np\u00e4ss\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nINFO\r\n");
        var received = new byte[expected.Length];
        await _peer!.GetStream().ReadExactlyAsync(received, _timeout.Token);
        Assert.Equal(expected, received);
    }

    [Fact]
    public async Task Replies_read_as_their_text_or_bulk_content_even_when_split_across_reads()
    {
        var serving = ServeAsync("+PONG\r\n$1", "3\r\nrole:m", "aster\r\n\r\n:42\r\n-ERR no\r\n$-1", "\r\n");
        Assert.Equal("+PONG", await _connection!.ReadReplyAsync(_timeout.Token));
        Assert.Equal("role:master\r\n", await _connection.ReadReplyAsync(_timeout.Token));
        Assert.Equal(":42", await _connection.ReadReplyAsync(_timeout.Token));
        Assert.Equal("-ERR no", await _connection.ReadReplyAsync(_timeout.Token));
        Assert.Null(await _connection.ReadReplyAsync(_timeout.Token));
        await serving;
    }

    [Theory]
    [InlineData("*1\r\n:1\r\n", "unexpected reply type from Redis")]
    [InlineData("$x\r\n", "malformed reply from Redis")]
    [InlineData("?\r\n", "malformed reply from Redis")]
    public async Task Other_or_malformed_replies_are_IO_errors(string reply, string message)
    {
        await ServeAsync(reply);
        var error = await Assert.ThrowsAsync<IOException>(() => _connection!.ReadReplyAsync(_timeout.Token));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_reply_larger_than_the_buffer_is_an_IO_error()
    {
        var serving = ServeAsync("$100000\r\n" + new string('x', 70_000));
        var error = await Assert.ThrowsAsync<IOException>(() => _connection!.ReadReplyAsync(_timeout.Token));
        Assert.Equal("reply from Redis larger than the probe's buffer", error.Message);
        await serving;
    }
}
