using System.Globalization;
using System.Text;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// CLIENT LIST, INFO, KILL, PAUSE and UNPAUSE over the proxy's own clients (not the nodes',
/// which see only the proxy's connections). Lines follow Redis 7.0's CLIENT LIST fields; what the
/// proxy does not track (buffers, memory) is 0.
/// </summary>
internal sealed class ClientCommands(ProxyContext context, ClientState client)
{
    /// <summary>Ten years: far beyond any real pause, and safe from overflow in timestamp arithmetic.</summary>
    private const long MaxPauseMilliseconds = 10L * 365 * 24 * 3600 * 1000;

    private readonly ProxyContext _context = context;
    private readonly ClientState _client = client;

    public void List(ProxyRequest request, RequestFrame frame)
    {
        HashSet<long>? ids = null;
        var typeMatches = true;
        for (var i = 2; i < frame.Count; i++)
        {
            if (Is(frame[i], "TYPE"u8) && i + 1 < frame.Count)
            {
                var type = Text(frame[++i]).ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    request.CompleteWithError($"ERR Unknown client type '{type}'");
                    return;
                }

                typeMatches = type == "normal";
            }
            else if (Is(frame[i], "ID"u8) && i + 1 < frame.Count)
            {
                ids = [];
                while (++i < frame.Count)
                {
                    if (!RequestReader.TryParseInt64(frame[i], out var id) || id <= 0)
                    {
                        request.CompleteWithError("ERR Invalid client ID");
                        return;
                    }

                    ids.Add(id);
                }
            }
            else
            {
                request.CompleteWithError("ERR syntax error");
                return;
            }
        }

        var text = new StringBuilder();
        foreach (var connection in _context.Clients.Snapshot())
        {
            if (typeMatches && (ids is null || ids.Contains(connection.Client.Id)))
            {
                AppendLine(text, connection);
            }
        }

        RespWriter.WriteBulk(request.LocalReply, text.ToString());
        request.CompleteLocal();
    }

    public void Info(ProxyRequest request)
    {
        var text = new StringBuilder();
        var self = _context.Clients.Snapshot().FirstOrDefault(c => c.Client.Id == _client.Id);
        if (self is not null)
        {
            AppendLine(text, self);
        }

        RespWriter.WriteBulk(request.LocalReply, text.ToString());
        request.CompleteLocal();
    }

    /// <summary>CLIENT KILL addr:port (old form: +OK or an error) or CLIENT KILL filter value ... (count of clients closed).</summary>
    public void Kill(ProxyRequest request, RequestFrame frame)
    {
        if (frame.Count == 3)
        {
            var address = Text(frame[2]);
            var target = _context.Clients.Snapshot().FirstOrDefault(c => c.Client.Remote == address);
            if (target is null)
            {
                request.CompleteWithError("ERR No such client");
                return;
            }

            Close(request, target);
            RespWriter.WriteSimpleString(request.LocalReply, "OK");
            request.CompleteLocal();
            return;
        }

        if (frame.Count % 2 != 0)
        {
            request.CompleteWithError("ERR syntax error");
            return;
        }

        long? id = null;
        string? addr = null, user = null;
        var skipMe = true;
        var typeMatches = true;
        for (var i = 2; i < frame.Count; i += 2)
        {
            var value = frame[i + 1];
            if (Is(frame[i], "ID"u8))
            {
                if (!RequestReader.TryParseInt64(value, out var parsed) || parsed <= 0)
                {
                    request.CompleteWithError("ERR client-id should be greater than 0");
                    return;
                }

                id = parsed;
            }
            else if (Is(frame[i], "ADDR"u8))
            {
                addr = Text(value);
            }
            else if (Is(frame[i], "USER"u8))
            {
                user = Text(value);
                if (_context.Users.Find(user) is null)
                {
                    request.CompleteWithError($"ERR No such user '{user}'");
                    return;
                }
            }
            else if (Is(frame[i], "SKIPME"u8))
            {
                if (!Is(value, "yes"u8) && !Is(value, "no"u8))
                {
                    request.CompleteWithError("ERR syntax error");
                    return;
                }

                skipMe = Is(value, "yes"u8);
            }
            else if (Is(frame[i], "TYPE"u8))
            {
                var type = Text(value).ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    request.CompleteWithError($"ERR Unknown client type '{type}'");
                    return;
                }

                typeMatches = type == "normal";
            }
            else
            {
                request.CompleteWithError("ERR syntax error");
                return;
            }
        }

        var killed = 0;
        foreach (var connection in _context.Clients.Snapshot())
        {
            var candidate = connection.Client;
            if (!typeMatches || id is { } wanted && candidate.Id != wanted || addr is not null && candidate.Remote != addr
                || user is not null && candidate.User.Name != user || skipMe && candidate.Id == _client.Id)
            {
                continue;
            }

            Close(request, connection);
            killed++;
        }

        RespWriter.WriteInteger(request.LocalReply, killed);
        request.CompleteLocal();
    }

    /// <summary>CLIENT PAUSE timeout-ms [WRITE|ALL].</summary>
    public void Pause(ProxyRequest request, RequestFrame frame)
    {
        if (!RequestReader.TryParseInt64(frame[2], out var milliseconds))
        {
            request.CompleteWithError("ERR timeout is not an integer or out of range");
            return;
        }

        if (milliseconds < 0)
        {
            request.CompleteWithError("ERR timeout is negative");
            return;
        }

        if (milliseconds > MaxPauseMilliseconds)
        {
            request.CompleteWithError("ERR timeout is out of range");
            return;
        }

        var all = true;
        if (frame.Count == 4 && Is(frame[3], "WRITE"u8))
        {
            all = false;
        }
        else if (frame.Count > 4 || frame.Count == 4 && !Is(frame[3], "ALL"u8))
        {
            request.CompleteWithError("ERR syntax error");
            return;
        }

        _context.Pause.Start(TimeSpan.FromMilliseconds(milliseconds), all);
        RespWriter.WriteSimpleString(request.LocalReply, "OK");
        request.CompleteLocal();
    }

    public void Unpause(ProxyRequest request)
    {
        _context.Pause.Stop();
        RespWriter.WriteSimpleString(request.LocalReply, "OK");
        request.CompleteLocal();
    }

    /// <summary>Another client is closed now; this one after its reply, as Redis does.</summary>
    private void Close(ProxyRequest request, IClientConnection connection)
    {
        if (connection.Client.Id == _client.Id)
        {
            request.CloseAfterReply = true;
        }
        else
        {
            connection.Abort();
        }
    }

    private void AppendLine(StringBuilder text, IClientConnection connection)
    {
        var c = connection.Client;
        var now = _context.Time.GetTimestamp();
        var frequency = _context.Time.TimestampFrequency;
        var age = (now - connection.ConnectedAt) / frequency;
        var idle = (now - connection.LastActivity) / frequency;
        var command = c.LastCommand?.Name.ToLowerInvariant() ?? "NULL";
        text.Append(CultureInfo.InvariantCulture,
            $"id={c.Id} addr={c.Remote} laddr={_context.Options.Listen} fd=-1 name={c.Name} age={age} idle={idle} flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={command} user={c.User.Name} redir=-1 resp={c.Protocol}\n");
    }

    private static bool Is(ReadOnlySpan<byte> argument, ReadOnlySpan<byte> word) => Ascii.EqualsIgnoreCase(argument, word);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
