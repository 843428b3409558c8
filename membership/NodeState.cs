namespace RedisRing.Membership;

/// <summary>Where a Redis node stands in the ring (docs/zookeeper.md, "State rules").</summary>
public enum NodeState
{
    /// <summary>Takes writes (it is in the write ring) but serves no reads: it may have missed writes.</summary>
    Joining,

    /// <summary>Serves reads and takes writes.</summary>
    Up,

    /// <summary>About to go: takes writes, serves no reads.</summary>
    Leaving,
}
