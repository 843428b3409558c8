namespace RedisRing.Proxy.Routing;

/// <summary>A node's place in the ring as the membership gives it (docs/zookeeper.md, state rules).</summary>
internal enum MembershipState
{
    /// <summary>From the static node list: reads and writes.</summary>
    Static,

    /// <summary>Registered and promoted: reads and writes.</summary>
    Up,

    /// <summary>Entering or re-entering the ring: writes only, until an operator promotes it.</summary>
    Joining,

    /// <summary>About to leave: writes only.</summary>
    Leaving,
}
