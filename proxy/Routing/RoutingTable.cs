using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Ring;

namespace RedisRing.Proxy.Routing;

/// <summary>
/// An immutable snapshot of where keys go: the hash ring, the backend behind each of its node
/// indexes, each node's membership state and one ordering gate per replica set. The proxy swaps
/// a whole new table with one reference write (<see cref="CurrentRoutingTable"/>); a request
/// uses the table it started with. Nodes that are joining or leaving take writes but serve no
/// reads: replica sets read from <see cref="ReplicaSet.Reads"/> and write to
/// <see cref="ReplicaSet.Writes"/>.
/// </summary>
internal sealed class RoutingTable
{
    /// <param name="time">The clock that stamps <see cref="CreatedAt"/>; the system clock when null.</param>
    /// <param name="unavailable">When set, the proxy serves no keyed command and answers this error instead (a cluster that is still starting).</param>
    /// <param name="servesReads">Per node: whether the membership lets it serve reads (default: from its state).</param>
    public RoutingTable(HashRing hashRing, IReadOnlyList<BackendNode> backends, long version, IReadOnlyList<NodeState> nodeStates, TimeProvider? time = null,
        string? unavailable = null, IReadOnlyList<bool>? servesReads = null)
    {
        if (hashRing.Nodes.Count != backends.Count || nodeStates.Count != backends.Count)
        {
            throw new ArgumentException("every ring node needs a backend and a membership state", nameof(backends));
        }

        HashRing = hashRing;
        Backends = backends;
        Version = version;
        NodeStates = nodeStates;
        ServesReads = servesReads?.ToArray() ?? nodeStates.Select(s => s.ServesReads()).ToArray();
        Gates = hashRing.ReplicaSets.Select(_ => new ReplicaSetGate()).ToArray();
        CreatedAt = (time ?? TimeProvider.System).GetUtcNow();
        Unavailable = unavailable;
    }

    /// <summary>A table with no node (ZooKeeper mode before the first membership snapshot).</summary>
    public static RoutingTable Empty(RingOptions options, TimeProvider? time = null) => new(HashRing.Create([], [], options), [], version: 0, [], time);

    /// <summary>A static node list: every node is a full member.</summary>
    public static RoutingTable Static(HashRing hashRing, IReadOnlyList<BackendNode> backends, TimeProvider? time = null) =>
        new(hashRing, backends, version: 1, backends.Select(_ => NodeState.Up).ToArray(), time);

    public HashRing HashRing { get; }

    /// <summary>Backends by ring node index.</summary>
    public IReadOnlyList<BackendNode> Backends { get; }

    /// <summary>Each node's state in the cluster's membership, by ring node index.</summary>
    public IReadOnlyList<NodeState> NodeStates { get; }

    /// <summary>Whether the membership lets a node serve reads (it is in the read ring), by index.</summary>
    public bool[] ServesReads { get; }

    /// <summary>One ordering gate per replica set, by replica set id.</summary>
    public ReplicaSetGate[] Gates { get; }

    public long Version { get; }

    /// <summary>The RESP error every command that touches data gets while the table is not in service (null: in service).</summary>
    public string? Unavailable { get; }

    /// <summary>When the table was built (INFO's ring_changed_at).</summary>
    public DateTimeOffset CreatedAt { get; }

    public RingOptions Options => HashRing.Options;

    /// <summary>The replica set that holds <paramref name="key"/>.</summary>
    public ReplicaSet Locate(ReadOnlySpan<byte> key) => HashRing.Locate(key);

    /// <summary>What the ring hashes of <paramref name="key"/> (its hash tag's content, or all of it).</summary>
    public ReadOnlySpan<byte> HashedPart(ReadOnlySpan<byte> key) => HashRing.HashedPart(key);

    public IReadOnlyList<ReplicaSet> ReplicaSets => HashRing.ReplicaSets;

    /// <summary>Whether node <paramref name="index"/> may serve reads now: in the read ring and complete.</summary>
    public bool IsReadable(int index) => ServesReads[index] && Backends[index].IsReadable;

    /// <summary>The index of the node at <paramref name="address"/> (host:port), -1 when it is not in this table.</summary>
    public int IndexOf(string address)
    {
        for (var i = 0; i < Backends.Count; i++)
        {
            if (Backends[i].Endpoint.Address == address)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether <paramref name="nodeIndex"/> is the copy a read of <paramref name="key"/> goes to
    /// (its first readable copy): multi-node commands report each key once, from that node.
    /// </summary>
    public bool IsFirstReadableCopy(int nodeIndex, ReadOnlySpan<byte> key)
    {
        foreach (var copy in Locate(key).Reads)
        {
            if (Backends[copy].IsReadable)
            {
                return copy == nodeIndex;
            }
        }

        return false;
    }
}
