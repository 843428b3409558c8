using RedisRing.Proxy.Backends;
using RedisRing.Ring;

namespace RedisRing.Proxy.Routing;

/// <summary>
/// An immutable snapshot of the ring and the backends behind its node indexes. The proxy swaps a
/// whole new snapshot with one reference write; a request uses the snapshot it started with.
/// With membership from ZooKeeper, nodes that are joining or leaving take writes but serve no
/// reads: the ring's replica sets read from <see cref="ReplicaSet.Nodes"/> and write to
/// <see cref="ReplicaSet.Writes"/>.
/// </summary>
internal sealed class RingState
{
    public RingState(HashRing ring, IReadOnlyList<BackendNode> nodes, long version)
        : this(ring, nodes, version, nodes.Select(_ => MembershipState.Static).ToArray())
    {
    }

    public RingState(HashRing ring, IReadOnlyList<BackendNode> nodes, long version, IReadOnlyList<MembershipState> membership)
    {
        if (ring.Nodes.Count != nodes.Count || membership.Count != nodes.Count)
        {
            throw new ArgumentException("every ring node needs a backend and a membership state", nameof(nodes));
        }

        Ring = ring;
        Nodes = nodes;
        Version = version;
        Membership = membership;
        ServesReads = membership.Select(m => m is MembershipState.Static or MembershipState.Up).ToArray();
        SetGates = ring.ReplicaSets.Select(_ => new ReplicaSetGate()).ToArray();
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public HashRing Ring { get; }

    /// <summary>Backends by ring node index.</summary>
    public IReadOnlyList<BackendNode> Nodes { get; }

    /// <summary>Each node's state in the cluster's membership, by ring node index.</summary>
    public IReadOnlyList<MembershipState> Membership { get; }

    /// <summary>Whether the membership lets a node serve reads (it is in the read ring), by index.</summary>
    public bool[] ServesReads { get; }

    /// <summary>One ordering gate per replica set, by replica set id.</summary>
    public ReplicaSetGate[] SetGates { get; }

    public long Version { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether node <paramref name="index"/> may serve reads now: in the read ring and complete.</summary>
    public bool IsReadable(int index) => ServesReads[index] && Nodes[index].IsReadable;
}
