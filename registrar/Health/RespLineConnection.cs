using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using RedisRing.Resp;

namespace RedisRing.Registrar.Health;

/// <summary>
/// A minimal RESP connection for the probe: sends commands, reads simple, error, integer and bulk
/// replies (all the probe needs). Not a general client: anything else is a protocol error.
/// </summary>
internal sealed class RespLineConnection : IAsyncDisposable
{
    private const int MaxBulkLength = 60 * 1024; // INFO is a few KB; the buffer must hold a whole bulk
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
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
        var line = await ReadLineAsync(cancellationToken);
        switch (line.Length > 0 ? line[0] : '\0')
        {
            case '+' or '-' or ':':
                return line;
            case '$':
                if (!int.TryParse(line.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var length) || length > MaxBulkLength)
                {
                    throw new IOException("bad bulk length from Redis");
                }

                if (length < 0)
                {
                    return null;
                }

                while (_end - _start < length + 2)
                {
                    await FillAsync(cancellationToken);
                }

                var text = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += length + 2;
                return text;
            default:
                throw new IOException("unexpected reply type from Redis");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..newline]);
                _start += newline + 2;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

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
