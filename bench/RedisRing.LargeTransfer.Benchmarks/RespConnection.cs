using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RedisRing.LargeTransfer.Benchmarks;

/// <summary>A command that did not get its whole, expected reply: the reason is what the table shows.</summary>
internal sealed class TransferFailedException(string reason) : Exception(reason);

/// <summary>
/// One blocking RESP2 connection driven by hand. Every command has a deadline (send and the whole
/// reply); a reply is read to its last byte and checked (element count and sizes, value content)
/// but nothing is kept that a client would not keep: list elements are skipped, a GET's value is
/// received straight into the caller's array.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private readonly TimeSpan _deadline;
    private int _start;
    private int _end;
    private long _commandStarted;

    private RespConnection(Socket socket, TimeSpan deadline)
    {
        _socket = socket;
        _deadline = deadline;
    }

    public static RespConnection Open(int port, TimeSpan deadline)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TransferFailedException($"connect: {e.SocketErrorCode}");
        }

        return new RespConnection(socket, deadline);
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Starts the deadline of one command: sends and reads after this count against it.</summary>
    public void BeginCommand() => _commandStarted = Stopwatch.GetTimestamp();

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            _socket.SendTimeout = RemainingMs();
            int sent;
            try
            {
                sent = _socket.Send(bytes);
            }
            catch (SocketException e)
            {
                throw Failure(e);
            }

            bytes = bytes[sent..];
        }
    }

    /// <summary>Reads an integer reply (":n").</summary>
    public long ReadInteger() => Header((byte)':');

    /// <summary>Reads "+OK".</summary>
    public void ReadOk()
    {
        var line = Line();
        if (line.Length > 0 && line[0] == (byte)'-')
        {
            throw new TransferFailedException(Encoding.UTF8.GetString(line));
        }

        if (!line.SequenceEqual("+OK"u8))
        {
            throw new TransferFailedException($"unexpected reply {Shorten(line)}");
        }
    }

    /// <summary>Reads an array of bulk strings to its end; checks the count and every element's length.</summary>
    public void ReadList(long expectedCount, int elementLength)
    {
        var count = Header((byte)'*');
        if (count != expectedCount)
        {
            throw new TransferFailedException($"{count} elements instead of {expectedCount}");
        }

        for (long i = 0; i < count; i++)
        {
            var length = Header((byte)'$');
            if (length != elementLength)
            {
                throw new TransferFailedException($"element {i} has {length} bytes instead of {elementLength}");
            }

            Skip(length + 2);
        }
    }

    /// <summary>Reads a bulk string reply into <paramref name="into"/> (which must be its exact size).</summary>
    public void ReadBulk(byte[] into)
    {
        var length = Header((byte)'$');
        if (length < 0)
        {
            throw new TransferFailedException("nil reply (the key is missing)");
        }

        if (length != into.Length)
        {
            throw new TransferFailedException($"value of {length} bytes instead of {into.Length}");
        }

        var buffered = Math.Min(_end - _start, into.Length);
        _buffer.AsSpan(_start, buffered).CopyTo(into);
        _start += buffered;
        var at = buffered;
        while (at < into.Length)
        {
            at += Receive(into.AsSpan(at));
        }

        Skip(2);
    }

    private long Header(byte type)
    {
        var line = Line();
        if (line.Length > 0 && line[0] == (byte)'-')
        {
            throw new TransferFailedException(Encoding.UTF8.GetString(line));
        }

        if (line.Length < 2 || line[0] != type || !Utf8Parser.TryParse(line[1..], out long value, out var consumed) || consumed != line.Length - 1)
        {
            throw new TransferFailedException($"unexpected reply {Shorten(line)}");
        }

        return value;
    }

    /// <summary>The next line without its CRLF; valid until the next read.</summary>
    private ReadOnlySpan<byte> Line()
    {
        var searched = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var at = available[searched..].IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = available[..(searched + at)];
                _start += searched + at + 2;
                return line;
            }

            // Offsets stay relative to _start: Fill keeps the unread bytes in order.
            searched = Math.Max(0, available.Length - 1);
            Fill();
        }
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                Fill();
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    /// <summary>Receives more bytes into the buffer, moving what is unread to its front when it is full.</summary>
    private void Fill()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new TransferFailedException("a reply line longer than 256 KB");
            }

            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        _end += Receive(_buffer.AsSpan(_end));
    }

    private int Receive(Span<byte> into)
    {
        _socket.ReceiveTimeout = RemainingMs();
        int received;
        try
        {
            received = _socket.Receive(into);
        }
        catch (SocketException e)
        {
            throw Failure(e);
        }

        return received > 0 ? received : throw new TransferFailedException("connection closed by the server");
    }

    private int RemainingMs()
    {
        var left = _deadline - Stopwatch.GetElapsedTime(_commandStarted);
        return left > TimeSpan.Zero ? Math.Max(1, (int)left.TotalMilliseconds) : throw Timeout();
    }

    private TransferFailedException Failure(SocketException e) =>
        e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock ? Timeout() : new TransferFailedException($"socket: {e.SocketErrorCode}");

    private TransferFailedException Timeout() => new($"no complete reply within {_deadline.TotalSeconds:0} s (client deadline)");

    private static string Shorten(ReadOnlySpan<byte> line) =>
        line.Length > 60 ? Encoding.UTF8.GetString(line[..60]) + "..." : Encoding.UTF8.GetString(line);
}
