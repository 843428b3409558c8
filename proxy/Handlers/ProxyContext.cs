using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Acl;
using RedisRing.Proxy.Blocking;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.PubSub;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>What every client session and command handler shares: options, the routing table in service, its source and counters.</summary>
internal sealed class ProxyContext
{
    public ProxyContext(ProxyOptions options, CurrentRoutingTable routing, IRingSource ringSource, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        Time = time;
        StartedAt = time.GetUtcNow();
        Routing = routing;
        RingSource = ringSource;
        LoggerFactory = loggerFactory;
        Stats = new ProxyStats();
        _users = new AclUsers(options.Password, options.Users);
        _unauthenticatedLimits = options.UnauthenticatedLimits;
        PubSub = new PubSubHub(routing, time, loggerFactory);
        Pause = new ClientPause(time);
        Blocking = new BlockingEnvironment(routing, Scripts, time, options.BlockingPollInterval);
    }

    private ProxyOptions _options;
    private AclUsers _users;
    private RespLimits _unauthenticatedLimits;

    /// <summary>
    /// The options in force. Most parts read them once at start; those that read them at use time
    /// follow a reload (<see cref="Reload"/>; proxy/Admin/ConfigReloader lists which).
    /// </summary>
    public ProxyOptions Options => Volatile.Read(ref _options);

    public ILoggerFactory LoggerFactory { get; }

    public ProxyStats Stats { get; }

    /// <summary>The client users (the default one from <c>--password</c>, others from <c>--user</c>); proxy/Acl.</summary>
    public AclUsers Users => Volatile.Read(ref _users);

    /// <summary>Script bodies seen by this proxy, for copies that lost their script cache.</summary>
    public ScriptCache Scripts { get; } = new();

    /// <summary>What blocked clients (BLPOP, XREAD BLOCK ...) share: the keys they wait on, the poll interval.</summary>
    public BlockingEnvironment Blocking { get; }

    /// <summary>What a client may send before it authenticates (<see cref="ProxyOptions.UnauthenticatedLimits"/>), made once.</summary>
    public RespLimits UnauthenticatedLimits => Volatile.Read(ref _unauthenticatedLimits);

    /// <summary>Puts reloaded options in force, with the users and limits made from them (SIGHUP, proxy/Admin/ConfigReloader).</summary>
    public void Reload(ProxyOptions options)
    {
        Volatile.Write(ref _users, new AclUsers(options.Password, options.Users));
        Volatile.Write(ref _unauthenticatedLimits, options.UnauthenticatedLimits);
        Volatile.Write(ref _options, options);
    }

    /// <summary>
    /// The clock for everything that measures or waits (timeouts, idle clients, uptime):
    /// <see cref="TimeProvider.System"/> in the proxy, a fake one in the core tests.
    /// </summary>
    public TimeProvider Time { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The routing table in service; a request keeps the table it read for its whole life.</summary>
    public CurrentRoutingTable Routing { get; }

    /// <summary>Where the routing table comes from (static list or ZooKeeper), for INFO.</summary>
    public IRingSource RingSource { get; }

    /// <summary>This proxy's pub/sub subscriptions and its subscriber connections to the nodes.</summary>
    public PubSubHub PubSub { get; }

    /// <summary>The connected clients, for CLIENT LIST and CLIENT KILL (kept by the server).</summary>
    public ConnectedClients Clients { get; } = new();

    /// <summary>CLIENT PAUSE in force, which every session checks before dispatching.</summary>
    public ClientPause Pause { get; }

    /// <summary>Set by the server so that an enabled SHUTDOWN can stop the proxy.</summary>
    public CancellationTokenSource Shutdown { get; } = new();
}
