namespace RedisRing.Proxy.Commands;

/// <summary>How the proxy carries out a command.</summary>
internal enum CommandRoute
{
    /// <summary>Goes to the replica set of its keys; all keys must share one replica set.</summary>
    Keyed,

    /// <summary>Keys are split by replica set, sent as several commands and the replies merged.</summary>
    Split,

    /// <summary>Answered by the proxy itself.</summary>
    Local,

    /// <summary>Runs on every node and the results are combined (SCAN, KEYS, DBSIZE, RANDOMKEY).</summary>
    AllNodes,

    /// <summary>Sent to every node; the client gets one combined reply (SCRIPT LOAD, FUNCTION LOAD).</summary>
    Broadcast,

    /// <summary>Administrative or destructive: refused unless enabled in configuration, then broadcast.</summary>
    Admin,

    /// <summary>Pub/sub subscriptions and PUBSUB introspection, answered by the proxy's subscription hub (proxy/PubSub).</summary>
    PubSub,

    /// <summary>
    /// A blocking pop (BLPOP, BZPOPMIN, BLMOVE ...): its non-blocking form runs as a keyed write,
    /// retried whenever its keys may have something (docs/protocol.md, "Blocking commands").
    /// XREAD and XREADGROUP are keyed, and take this way only with BLOCK.
    /// </summary>
    Blocking,

    /// <summary>Refused with a clear error (cluster management, replication, MONITOR).</summary>
    Refused,
}
