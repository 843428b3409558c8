using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven by hand: the request is bytes the caller built, the
/// response is parsed only as far as the status, Content-Length or chunked framing. The load
/// client shares the machine's two cores with the service, the proxy and Redis, so every
/// microsecond HttpClient would spend here is one the service does not get.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private byte[] _body = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawHttpConnection(socket);
    }

    /// <summary>A complete request: request line, the headers every benchmark request carries, the body.</summary>
    public static byte[] BuildRequest(string path, string contentType, string body)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://bench.example\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bodyBytes];
    }

    /// <summary>Sends a request and reads its response; the body is valid until the next call.</summary>
    public async Task<(int Status, ReadOnlyMemory<byte> Body)> SendAsync(ReadOnlyMemory<byte> request)
    {
        while (!request.IsEmpty)
        {
            var sent = await _socket.SendAsync(request, SocketFlags.None);
            request = request[sent..];
        }

        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        var head = _buffer.AsSpan(_start, headerEnd);
        var status = ParseStatus(head);
        var bodyStart = _start + headerEnd + 4;
        var lengthAt = head.IndexOf("\r\nContent-Length: "u8);
        if (lengthAt >= 0)
        {
            var digits = head[(lengthAt + 18)..];
            Utf8Parser.TryParse(digits, out int length, out _);
            while (_end - bodyStart < length)
            {
                bodyStart -= _start;
                await FillAsync();
                bodyStart += _start;
            }

            _start = bodyStart + length;
            return (status, _buffer.AsMemory(bodyStart, length));
        }

        _start = bodyStart;
        return (status, await ReadChunkedAsync());
    }

    private async Task<ReadOnlyMemory<byte>> ReadChunkedAsync()
    {
        var total = 0;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync();
            }

            Utf8Parser.TryParse(_buffer.AsSpan(_start, lineEnd), out int size, out _, 'x');
            _start += lineEnd + 2;
            while (_end - _start < size + 2)
            {
                await FillAsync();
            }

            if (size == 0)
            {
                _start += 2;
                return _body.AsMemory(0, total);
            }

            if (total + size > _body.Length)
            {
                Array.Resize(ref _body, Math.Max(_body.Length * 2, total + size));
            }

            _buffer.AsSpan(_start, size).CopyTo(_body.AsSpan(total));
            total += size;
            _start += size + 2;
        }
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new HttpRequestException("The service closed the connection.");
        }

        _end += read;
    }

    private static int ParseStatus(ReadOnlySpan<byte> head) =>
        head.Length > 12 && Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _) ? status : throw new HttpRequestException("Not an HTTP response.");

    public void Dispose() => _socket.Dispose();
}
