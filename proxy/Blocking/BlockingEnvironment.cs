using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Blocking;

/// <summary>What every blocked client of this proxy shares: the routing table, the key waiters, the clock, the poll interval.</summary>
internal sealed class BlockingEnvironment(CurrentRoutingTable routing, ScriptCache scripts, TimeProvider time, TimeSpan pollInterval)
{
    private long _blocked;

    public CurrentRoutingTable Routing { get; } = routing;

    public ScriptCache Scripts { get; } = scripts;

    public TimeProvider Time { get; } = time;

    /// <summary>
    /// How often a blocked client looks again without a wake-up: writes through other proxies
    /// or straight to the nodes reach it no later than this (<c>blockingPollMs</c>).
    /// </summary>
    public TimeSpan PollInterval { get; } = pollInterval;

    /// <summary>Blocked clients by the keys they wait on; this proxy's keyed writes wake them.</summary>
    public KeyWaiters Waiters { get; } = new();

    /// <summary>Clients blocked right now (INFO's <c>blocked_clients</c>).</summary>
    public long BlockedClients => Interlocked.Read(ref _blocked);

    internal void OnBlocked() => Interlocked.Increment(ref _blocked);

    internal void OnUnblocked() => Interlocked.Decrement(ref _blocked);
}
