namespace RedisRing.Membership.Watching;

/// <summary>
/// One immutable view of the cluster, as a proxy builds it: the members (write ring: every
/// member, <c>up</c>, <c>joining</c>, <c>leaving</c>; read ring: <c>up</c> members), both ordered by
/// address, and which of them are live now. A new <see cref="Version"/> is counted only when the
/// ring changed (members, their states, run_ids or znodes, or the ring parameters); a liveness
/// change gives a new snapshot with the same version.
/// </summary>
public sealed class MembershipSnapshot
{
    internal MembershipSnapshot(long version, MembershipView view, IReadOnlyDictionary<string, string> live, RingConfig? config, DateTimeOffset changedAt)
    {
        Version = version;
        View = view;
        Nodes = view.Nodes;
        Rejected = view.Rejected;
        ReadNodes = view.Nodes.Where(n => n.ServesReads()).ToList();
        Live = live;
        Config = config;
        ChangedAt = changedAt;
    }

    /// <summary>Counts ring changes seen by this watcher, from 1 (local: two proxies may differ).</summary>
    public long Version { get; }

    /// <summary>The write ring: every valid member.</summary>
    public IReadOnlyList<NodeRecord> Nodes { get; }

    /// <summary>The read ring: members in state <c>up</c>.</summary>
    public IReadOnlyList<NodeRecord> ReadNodes { get; }

    /// <summary>Znodes ignored because of bad data, with the reason.</summary>
    public IReadOnlyList<(string Znode, string Reason)> Rejected { get; }

    /// <summary>The run_id of each valid liveness znode, by address.</summary>
    public IReadOnlyDictionary<string, string> Live { get; }

    /// <summary>The ring parameters from <c>config</c>; null when that znode is missing or invalid.</summary>
    public RingConfig? Config { get; }

    public DateTimeOffset ChangedAt { get; }

    internal MembershipView View { get; }

    /// <summary>The member znode of <paramref name="address"/> (creation zxid and version).</summary>
    public MemberZnode ZnodeOf(NodeAddress address) => View.ZnodeOf(address);

    /// <summary>Whether the member's registrar (or patched Redis) is live with the member's own run_id.</summary>
    public bool IsLive(NodeRecord member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Live.TryGetValue(member.Address.ToString(), out var runId) && runId == member.RunId;
    }

    /// <summary>Initial members of a brand-new cluster that have not registered yet: while there is one, the cluster is starting.</summary>
    public IReadOnlyList<NodeRecord> AwaitingFirstRegistration => [.. Nodes.Where(n => n.AwaitsFirstRegistration)];

    /// <summary>Same members (address, weight, state, run_id, znode) and same ring parameters.</summary>
    public bool SameRing(MembershipView view, RingConfig? config)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Equals(Config, config) && Nodes.Count == view.Nodes.Count
            && Nodes.Zip(view.Nodes).All(p => p.First.Address == p.Second.Address && p.First.Weight == p.Second.Weight && p.First.State == p.Second.State
                && p.First.RunId == p.Second.RunId && ZnodeOf(p.First.Address).CreatedZxid == view.ZnodeOf(p.Second.Address).CreatedZxid);
    }

    /// <summary>Same liveness znodes with the same run_ids.</summary>
    public bool SameLiveness(IReadOnlyDictionary<string, string> live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return Live.Count == live.Count && Live.All(p => live.TryGetValue(p.Key, out var runId) && runId == p.Value);
    }
}
