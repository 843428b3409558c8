namespace RedisRing.Membership.Watching;

/// <summary>
/// One immutable view of the cluster's ring, as a proxy builds it: the read ring (<c>up</c>
/// nodes) and the write ring (every registered node: <c>up</c>, <c>joining</c>, <c>leaving</c>),
/// both ordered by address. A new snapshot (next <see cref="Version"/>) is made only when the
/// nodes or the ring parameters changed.
/// </summary>
public sealed class MembershipSnapshot
{
    internal MembershipSnapshot(long version, MembershipView view, RingConfig? config, DateTimeOffset changedAt)
    {
        Version = version;
        Nodes = view.Nodes;
        Rejected = view.Rejected;
        ReadNodes = view.Nodes.Where(n => n.State == NodeState.Up).ToList();
        Config = config;
        ChangedAt = changedAt;
    }

    /// <summary>Counts ring changes seen by this watcher, from 1 (local: two proxies may differ).</summary>
    public long Version { get; }

    /// <summary>The write ring: every valid node znode.</summary>
    public IReadOnlyList<NodeRecord> Nodes { get; }

    /// <summary>The read ring: nodes in state <c>up</c>.</summary>
    public IReadOnlyList<NodeRecord> ReadNodes { get; }

    /// <summary>Znodes ignored because of bad data, with the reason.</summary>
    public IReadOnlyList<(string Znode, string Reason)> Rejected { get; }

    /// <summary>The ring parameters from <c>config</c>; null when that znode is missing or invalid.</summary>
    public RingConfig? Config { get; }

    public DateTimeOffset ChangedAt { get; }

    /// <summary>Same nodes (address, weight, state) and same ring parameters.</summary>
    public bool SameRing(IReadOnlyList<NodeRecord> nodes, RingConfig? config) =>
        Equals(Config, config) && Nodes.Count == nodes.Count
        && Nodes.Zip(nodes).All(p => p.First.Address == p.Second.Address && p.First.Weight == p.Second.Weight && p.First.State == p.Second.State);
}
