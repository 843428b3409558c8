using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// Commands the proxy answers itself without a backend: PING, ECHO, QUIT, SELECT 0, AUTH, HELLO,
/// RESET, TIME, ROLE, CLIENT, CONFIG GET, COMMAND and INFO (which asks the nodes for the keyspace).
/// </summary>
internal sealed class ConnectionCommands(ProxyContext context, ClientState client, ILogger logger)
{
    private readonly ProxyContext _context = context;
    private readonly ClientState _client = client;
    private readonly ILogger _logger = logger;
    private readonly ClientCommands _clients = new(context, client);

    public void Execute(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        var reply = request.LocalReply;
        switch (info.Name)
        {
            case "PING":
                if (frame.Count > 1)
                {
                    RespWriter.WriteBulk(reply, frame[1]);
                }
                else
                {
                    RespWriter.WriteSimpleString(reply, "PONG");
                }

                break;
            case "ECHO":
                RespWriter.WriteBulk(reply, frame[1]);
                break;
            case "QUIT":
                RespWriter.WriteSimpleString(reply, "OK");
                request.CloseAfterReply = true;
                break;
            case "SELECT":
                if (frame[1].SequenceEqual("0"u8))
                {
                    RespWriter.WriteSimpleString(reply, "OK");
                }
                else
                {
                    RespWriter.WriteError(reply, "ERR DB index is out of range (RedisRing has database 0 only)");
                }

                break;
            case "AUTH":
                Authenticate(request, frame.Count == 2 ? default : frame[1], frame[frame.Count - 1], frame.Count == 3);
                return;
            case "HELLO":
                Hello(request, frame);
                return;
            case "RESET":
                _client.Name = null;
                _client.User = _context.Users.Default;
                _client.Protocol = 2;
                _client.IsAuthenticated = _context.Users.StartsAuthenticated;
                RespWriter.WriteSimpleString(reply, "RESET");
                break;
            case "TIME":
                var now = _context.Time.GetUtcNow();
                var micros = now.ToUnixTimeMilliseconds() * 1000;
                RespWriter.WriteArrayHeader(reply, 2);
                RespWriter.WriteBulk(reply, (micros / 1_000_000).ToString(CultureInfo.InvariantCulture));
                RespWriter.WriteBulk(reply, (micros % 1_000_000).ToString(CultureInfo.InvariantCulture));
                break;
            case "LASTSAVE":
                RespWriter.WriteInteger(reply, _context.StartedAt.ToUnixTimeSeconds());
                break;
            case "ROLE":
                RespWriter.WriteArrayHeader(reply, 3);
                RespWriter.WriteBulk(reply, "master");
                RespWriter.WriteInteger(reply, 0);
                RespWriter.WriteArrayHeader(reply, 0);
                break;
            case "READONLY" or "READWRITE" or "CLIENT|NO-EVICT" or "CLIENT|NO-TOUCH" or "CLIENT|SETINFO":
                RespWriter.WriteSimpleString(reply, "OK");
                break;
            case "CLIENT|SETNAME":
                _client.Name = System.Text.Encoding.UTF8.GetString(frame[2]);
                RespWriter.WriteSimpleString(reply, "OK");
                break;
            case "CLIENT|GETNAME":
                if (_client.Name is null)
                {
                    RespWriter.WriteNullBulk(reply);
                }
                else
                {
                    RespWriter.WriteBulk(reply, _client.Name);
                }

                break;
            case "CLIENT|ID":
                RespWriter.WriteInteger(reply, _client.Id);
                break;
            case "CLIENT|INFO":
                _clients.Info(request);
                return;
            case "CLIENT|LIST":
                _clients.List(request, frame);
                return;
            case "CLIENT|KILL":
                _clients.Kill(request, frame);
                return;
            case "CLIENT|PAUSE":
                _clients.Pause(request, frame);
                return;
            case "CLIENT|UNPAUSE":
                _clients.Unpause(request);
                return;
            case "CLIENT|REPLY":
                RespWriter.WriteError(reply, "ERR CLIENT REPLY is not supported by RedisRing");
                break;
            case "CLIENT|TRACKING" or "CLIENT|CACHING" or "CLIENT|GETREDIR" or "CLIENT|TRACKINGINFO":
                // Tracking needs invalidation pushes from every node that holds a key read.
                RespWriter.WriteError(reply, "ERR CLIENT TRACKING is not supported by RedisRing");
                break;
            case "CLIENT":
                RespWriter.WriteError(reply, "ERR unknown subcommand or wrong number of arguments for 'client' command");
                break;
            case "ACL|WHOAMI":
                RespWriter.WriteBulk(reply, _client.User.Name);
                break;
            case "CONFIG|GET":
                WriteConfigGet(reply, frame);
                break;
            case "INFO":
                InfoCommand.Start(request, frame, _context);
                return;
            default:
                if (info.Name.StartsWith("COMMAND", StringComparison.Ordinal))
                {
                    CommandReplies.Write(reply, info.Name, frame);
                    break;
                }

                RespWriter.WriteError(reply, "ERR command not supported by the proxy");
                break;
        }

        request.CompleteLocal();
    }

    /// <summary>AUTH [username] password: the user's stored SHA-256 hashes compared in constant time (AclUser.Accepts).</summary>
    private void Authenticate(ProxyRequest request, ReadOnlySpan<byte> username, ReadOnlySpan<byte> password, bool hasUsername)
    {
        if (!hasUsername && _context.Users.Default is { Enabled: true, NoPass: true })
        {
            request.CompleteWithError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }

        if (CheckPassword(username, password, hasUsername))
        {
            RespWriter.WriteSimpleString(request.LocalReply, "OK");
            request.CompleteLocal();
            return;
        }

        request.CompleteWithError("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private bool CheckPassword(ReadOnlySpan<byte> username, ReadOnlySpan<byte> password, bool hasUsername)
    {
        var user = hasUsername ? _context.Users.Find(System.Text.Encoding.UTF8.GetString(username)) : _context.Users.Default;
        if (user is not null && user.Accepts(password))
        {
            _client.User = user;
            _client.IsAuthenticated = true;
            return true;
        }

        CommandLog.AuthFailed(_logger, _client.Id);
        return false;
    }

    private void Hello(ProxyRequest request, RequestFrame frame)
    {
        var protocol = _client.Protocol;
        if (frame.Count > 1)
        {
            if (!RequestReader.TryParseInt64(frame[1], out var version))
            {
                request.CompleteWithError("ERR Protocol version is not an integer or out of range");
                return;
            }

            if (version is not (2 or 3))
            {
                request.CompleteWithError("NOPROTO unsupported protocol version");
                return;
            }

            protocol = (int)version;
        }

        for (var i = 2; i < frame.Count; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(frame[i], "AUTH"u8) && i + 2 < frame.Count)
            {
                if (!CheckPassword(frame[i + 1], frame[i + 2], hasUsername: true))
                {
                    request.CompleteWithError("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }

                i += 2;
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(frame[i], "SETNAME"u8) && i + 1 < frame.Count)
            {
                _client.Name = System.Text.Encoding.UTF8.GetString(frame[++i]);
            }
        }

        if (!_client.IsAuthenticated)
        {
            request.CompleteWithError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }

        _client.Protocol = protocol;
        var reply = request.LocalReply;
        RespWriter.WriteArrayHeader(reply, 14);
        RespWriter.WriteBulk(reply, "server");
        RespWriter.WriteBulk(reply, "redis");
        RespWriter.WriteBulk(reply, "version");
        RespWriter.WriteBulk(reply, CommandTable.SourceVersion);
        RespWriter.WriteBulk(reply, "proto");
        RespWriter.WriteInteger(reply, protocol);
        RespWriter.WriteBulk(reply, "id");
        RespWriter.WriteInteger(reply, _client.Id);
        RespWriter.WriteBulk(reply, "mode");
        RespWriter.WriteBulk(reply, "standalone");
        RespWriter.WriteBulk(reply, "role");
        RespWriter.WriteBulk(reply, "master");
        RespWriter.WriteBulk(reply, "modules");
        RespWriter.WriteArrayHeader(reply, 0);
        request.CompleteLocal();
    }

    /// <summary>Benign answers to CONFIG GET, enough for clients that probe settings on connect.</summary>
    private void WriteConfigGet(System.Buffers.IBufferWriter<byte> reply, RequestFrame frame)
    {
        var options = _context.Options;
        var known = new (string Name, string Value)[]
        {
            ("databases", "1"),
            ("timeout", ((long)options.ClientIdleTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            ("maxclients", options.MaxClients.ToString(CultureInfo.InvariantCulture)),
            ("replica-read-only", "yes"),
            ("slave-read-only", "yes"),
            ("cluster-enabled", "no"),
            ("proto-max-bulk-len", options.Limits.MaxBulkLength.ToString(CultureInfo.InvariantCulture)),
            ("port", options.Listen.Port.ToString(CultureInfo.InvariantCulture)),
            ("save", ""),
            ("appendonly", "no"),
        };
        var matches = new List<(string Name, string Value)>();
        for (var i = 2; i < frame.Count; i++)
        {
            var pattern = System.Text.Encoding.UTF8.GetString(frame[i]).ToLowerInvariant();
            matches.AddRange(known.Where(k => Glob.IsMatch(pattern, k.Name) && !matches.Contains(k)));
        }

        RespWriter.WriteArrayHeader(reply, matches.Count * 2);
        foreach (var (name, value) in matches)
        {
            RespWriter.WriteBulk(reply, name);
            RespWriter.WriteBulk(reply, value);
        }
    }
}
