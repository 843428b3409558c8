using System.Text;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Acl;
using RedisRing.Proxy.Blocking;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.PubSub;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Resp3;
using RedisRing.Proxy.Transactions;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// Turns one client request into its reply: looks the command up (arity, subcommands, whether it
/// needs AUTH first), then hands it to the planner or handler of its route. One instance per
/// client session, called from the session's read loop only.
/// </summary>
internal sealed class CommandDispatcher
{
    private readonly ProxyContext _context;
    private readonly ClientState _client;
    private readonly KeyedPlanner _keyed;
    private readonly SplitPlanner _split = new();
    private readonly ConnectionCommands _connection;
    private readonly AdminCommands _admin;
    private readonly WriteAcknowledgements _acks;
    private readonly TransactionCommands _transactions;
    private readonly PubSubCommands _pubSub;
    private readonly List<int> _aclKeys = [];
    private readonly bool _countCalls;

    public CommandDispatcher(ProxyContext context, ClientState client, IPushTarget push)
    {
        _context = context;
        _client = client;
        _keyed = new KeyedPlanner(context.Scripts, context.Blocking.Waiters);
        var logger = context.LoggerFactory.CreateLogger<CommandDispatcher>();
        _connection = new ConnectionCommands(context, client, logger);
        _admin = new AdminCommands(context, client, logger);
        _acks = new WriteAcknowledgements(context.Routing.Value.Options.Replicas);
        _transactions = new TransactionCommands(context.Scripts, _acks, context.Options, context.Time);
        _pubSub = new PubSubCommands(context, client, push);
        // Per-command counts are for /metrics: with the admin port off nothing is counted.
        _countCalls = context.Stats.RequestDurations is not null;
    }

    /// <summary>The client left: what it holds on the nodes (a WATCH's connection, its subscriptions) is released.</summary>
    public void OnClientClosed()
    {
        _transactions.OnClientClosed();
        _pubSub.ClientClosed();
    }

    public void Dispatch(ProxyRequest request, RequestFrame frame)
    {
        request.Acks = _acks;
        var info = CommandLookup.Find(frame[0]);
        if (info is null)
        {
            _transactions.OnRefused();
            request.CompleteWithError(WaitCommand.IsWaitAof(frame[0]) ? WaitCommand.WaitAofRefusal : $"ERR unknown command '{Printable(frame[0])}', with args beginning with: {ArgsPreview(frame)}");
            return;
        }

        if (!info.ArityMatches(frame.Count))
        {
            _transactions.OnRefused();
            request.CompleteWithError($"ERR wrong number of arguments for '{info.Name.ToLowerInvariant()}' command");
            return;
        }

        if (info.Subcommands is not null && frame.Count > 1 && CommandLookup.FindSubcommand(info, frame[1]) is { } sub)
        {
            info = sub;
            if (!info.ArityMatches(frame.Count))
            {
                _transactions.OnRefused();
                request.CompleteWithError($"ERR wrong number of arguments for '{info.Name.ToLowerInvariant().Replace('|', ' ')}' command");
                return;
            }
        }
        else if (info.Subcommands is not null && info.Route != CommandRoute.Local)
        {
            var subName = frame.Count > 1 ? Printable(frame[1]) : "";
            _transactions.OnRefused();
            request.CompleteWithError($"ERR unknown subcommand '{subName}'. Try {info.Name} HELP.");
            return;
        }

        _client.LastCommand = info;
        if (_countCalls)
        {
            info.CountCall();
        }

        if (!_client.IsAuthenticated && info.Name is not ("AUTH" or "HELLO" or "QUIT"))
        {
            request.CompleteWithError("NOAUTH Authentication required.");
            return;
        }

        if (AclCheck.Denial(_client.User, info, frame, _aclKeys) is { } denied)
        {
            request.CompleteWithError(denied);
            return;
        }

        if (_client.Subscriptions > 0 && _pubSub.Intercept(request, frame, info))
        {
            return;
        }

        var table = _context.Routing.Value;
        if (_transactions.TryHandle(request, frame, info, table))
        {
            return;
        }

        if (table.Unavailable is { } reason && info.Route is not (CommandRoute.Local or CommandRoute.Refused or CommandRoute.PubSub))
        {
            // A brand-new cluster before every initial node registered: writes now could miss
            // nodes that enter `up` later (docs/zookeeper.md, "Brand-new cluster").
            request.CompleteWithError(reason);
            return;
        }

        switch (info.Route)
        {
            case CommandRoute.Keyed when info.Name is "XREAD" or "XREADGROUP" && BlockingPlan.HasBlockOption(frame):
            case CommandRoute.Blocking:
                BlockedRequest.Start(_context.Blocking, request, frame, info);
                break;
            case CommandRoute.Keyed:
                _keyed.Start(request, frame, info, table);
                break;
            case CommandRoute.Split:
                _split.Start(request, frame, info, table);
                break;
            case CommandRoute.Local when info.Name == "WAIT":
                WaitCommand.Execute(request, frame, _acks);
                break;
            case CommandRoute.Local:
                _connection.Execute(request, frame, info);
                break;
            case CommandRoute.AllNodes:
            case CommandRoute.Broadcast:
                if (info.Name == "SCRIPT|LOAD")
                {
                    _context.Scripts.Remember(frame[2]);
                }

                AllNodesCommands.Start(request, frame, info, table);
                break;
            case CommandRoute.Admin:
                _admin.Execute(request, frame, info);
                break;
            case CommandRoute.PubSub:
                _pubSub.Execute(request, frame, info);
                break;
            default:
                request.CompleteWithError(info.Refusal ?? "ERR command not supported by the proxy");
                break;
        }

        // After the command ran: HELLO 3 answers in RESP3, HELLO 2 (and RESET) in RESP2.
        if (_client.Protocol == 3)
        {
            request.ReplyShape = ReplyShapes.For(info, frame);
        }
    }

    /// <summary>
    /// Whether a CLIENT PAUSE in force holds this request (the session then waits before
    /// dispatching it). Unknown commands are never held: they only get an error.
    /// </summary>
    public bool MustWaitForPause(RequestFrame frame)
    {
        var info = CommandLookup.Find(frame[0]);
        if (info is null)
        {
            return false;
        }

        if (info.Subcommands is not null && frame.Count > 1 && CommandLookup.FindSubcommand(info, frame[1]) is { } sub)
        {
            info = sub;
        }

        return _context.Pause.Holds(info);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.Length > 64 ? bytes[..64] : bytes);
        return text.Replace('\r', ' ').Replace('\n', ' ');
    }

    private static string ArgsPreview(RequestFrame frame)
    {
        var builder = new StringBuilder();
        for (var i = 1; i < frame.Count && i < 4; i++)
        {
            builder.Append('\'').Append(Printable(frame[i])).Append("' ");
        }

        return builder.ToString();
    }
}
