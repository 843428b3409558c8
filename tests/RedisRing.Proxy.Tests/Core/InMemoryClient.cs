using System.Buffers;
using System.Globalization;
using System.Text;
using RedisRing.Proxy.Server;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// A RESP client on an in-memory pipe into a proxy <see cref="ClientSession"/>: writes commands
/// (one by one or pipelined in one write) and reads replies rendered as short text:
/// "+OK", "-ERR ...", ":3", a bulk as its text, "(nil)", an array as "[a, b, (nil)]".
/// </summary>
internal sealed class InMemoryClient : IDisposable
{
    private readonly InMemoryConnection _end;
    private readonly InMemoryConnection _proxyEnd;
    private readonly object _sync = new();
    private readonly List<byte> _received = [];
    private bool _closed;

    public InMemoryClient(ProxyServer server)
    {
        var (proxyEnd, clientEnd) = InMemoryConnection.CreatePair();
        _end = clientEnd;
        _proxyEnd = proxyEnd;
        Session = server.StartSession(proxyEnd, "in-memory");
        _ = Task.Run(PumpAsync);
    }

    public ClientSession Session { get; }

    /// <summary>True as soon as the proxy disposed its end of the connection (set synchronously by the close).</summary>
    public bool ServerEndClosed => _proxyEnd.IsDisposed;

    /// <summary>True once this client read the end of the stream.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_sync)
            {
                return _closed;
            }
        }
    }

    /// <summary>Sends one command.</summary>
    public void Send(params string[] arguments) => Pipeline([arguments]);

    /// <summary>Sends several commands in one write, as a pipelining client does.</summary>
    public void Pipeline(params string[][] commands)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var command in commands)
        {
            RespWriter.WriteArrayHeader(writer, command.Length);
            foreach (var argument in command)
            {
                RespWriter.WriteBulk(writer, Encoding.Latin1.GetBytes(argument));
            }
        }

        _end.Output.Write(writer.WrittenSpan);
        _ = _end.Output.FlushAsync();
    }

    /// <summary>Sends bytes as they are: part of a request, or several.</summary>
    public void SendRaw(string text)
    {
        _end.Output.Write(Encoding.Latin1.GetBytes(text));
        _ = _end.Output.FlushAsync();
    }

    /// <summary>The next reply, waiting for it (bounded by <see cref="Eventually.Cap"/>).</summary>
    public Task<string> ReadAsync() => Eventually.ValueAsync(TryRead, "a reply from the proxy");

    /// <summary>The next reply if it is complete already; null otherwise.</summary>
    public string? TryRead()
    {
        lock (_sync)
        {
            var bytes = _received.ToArray();
            var position = 0;
            if (!TryParse(bytes, ref position, out var reply))
            {
                return null;
            }

            _received.RemoveRange(0, position);
            return reply;
        }
    }

    /// <summary>Bytes received and not read as replies yet.</summary>
    public int Unread
    {
        get
        {
            lock (_sync)
            {
                return _received.Count;
            }
        }
    }

    public void Dispose() => _end.Dispose();

    private async Task PumpAsync()
    {
        var input = _end.Input;
        while (true)
        {
            var result = await input.ReadAsync();
            lock (_sync)
            {
                foreach (var segment in result.Buffer)
                {
                    _received.AddRange(segment.Span);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    _closed = true;
                }
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private static bool TryParse(byte[] bytes, ref int position, out string reply)
    {
        reply = "";
        var lineEnd = Array.IndexOf(bytes, (byte)'\n', position);
        if (lineEnd < 0)
        {
            return false;
        }

        var type = (char)bytes[position];
        var line = Encoding.Latin1.GetString(bytes, position + 1, lineEnd - position - 2);
        var next = lineEnd + 1;
        switch (type)
        {
            case '+' or ':':
                reply = type + line;
                break;
            case '-':
                reply = "-" + line;
                break;
            case '$':
            {
                var length = int.Parse(line, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    reply = "(nil)";
                    break;
                }

                if (bytes.Length < next + length + 2)
                {
                    return false;
                }

                reply = Encoding.Latin1.GetString(bytes, next, length);
                next += length + 2;
                break;
            }

            case '*':
            {
                var count = int.Parse(line, CultureInfo.InvariantCulture);
                var elements = new List<string>();
                for (var i = 0; i < count; i++)
                {
                    if (!TryParse(bytes, ref next, out var element))
                    {
                        return false;
                    }

                    elements.Add(element);
                }

                reply = count < 0 ? "(nil)" : "[" + string.Join(", ", elements) + "]";
                break;
            }

            default:
                throw new InvalidDataException($"not a RESP reply: '{type}'");
        }

        position = next;
        return true;
    }
}
