using System.Buffers;
using System.Net.Sockets;
using System.Text;
using RedisRing.Resp;

namespace RedisRing.Registrar.Health;

/// <summary>
/// A minimal RESP connection for the probe: sends commands, reads simple, error, integer and bulk
/// replies (all the probe needs) with resp's ReplyScanner and RespReply. Not a general client:
/// any other reply type is an error.
/// </summary>
internal sealed class RespLineConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024]; // INFO is a few KB; a reply must fit whole
    private int _start;
    private int _end;

    private RespLineConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RespLineConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return new RespLineConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends the commands pipelined, in one write.</summary>
    public async Task SendAsync(IEnumerable<string[]> commands, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        foreach (var command in commands)
        {
            RespWriter.WriteCommand(writer, command);
        }

        await _stream.WriteAsync(writer.WrittenMemory, cancellationToken);
    }

    /// <summary>Reads one reply as text: "+OK", "-ERR ...", ":5", or a bulk string's content (null for a nil bulk).</summary>
    public async Task<string?> ReadReplyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // The buffer bounds the reply: a reply that does not fit fails in FillAsync.
            var status = ReplyScanner.TryScan(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), out var length);
            if (status == RespStatus.ProtocolError)
            {
                throw new IOException("malformed reply from Redis");
            }

            if (status == RespStatus.Complete)
            {
                var reply = _buffer.AsMemory(_start, (int)length);
                _start += (int)length;
                return Decode(reply);
            }

            await FillAsync(cancellationToken);
        }
    }

    private static string? Decode(ReadOnlyMemory<byte> reply) => reply.Span[0] switch
    {
        (byte)'+' or (byte)'-' or (byte)':' => Encoding.UTF8.GetString(reply.Span[..^2]),
        (byte)'$' => RespReply.GetString(reply) is { } content ? Encoding.UTF8.GetString(content.Span) : null,
        _ => throw new IOException("unexpected reply type from Redis"),
    };

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("reply from Redis larger than the probe's buffer");
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("Redis closed the connection");
        }

        _end += read;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
