using RedisRing.Proxy.Backends;
using RedisRing.Ring;

namespace RedisRing.Proxy.Routing;

/// <summary>
/// An immutable snapshot of the ring and the backends behind its node indexes. The proxy swaps a
/// whole new snapshot with one reference write; a request uses the snapshot it started with.
/// </summary>
internal sealed class RingState
{
    public RingState(HashRing ring, IReadOnlyList<BackendNode> nodes, long version)
    {
        if (ring.Nodes.Count != nodes.Count)
        {
            throw new ArgumentException("every ring node needs a backend", nameof(nodes));
        }

        Ring = ring;
        Nodes = nodes;
        Version = version;
        SetGates = ring.ReplicaSets.Select(_ => new ReplicaSetGate()).ToArray();
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public HashRing Ring { get; }

    /// <summary>Backends by ring node index.</summary>
    public IReadOnlyList<BackendNode> Nodes { get; }

    /// <summary>One ordering gate per replica set, by replica set id.</summary>
    public ReplicaSetGate[] SetGates { get; }

    public long Version { get; }

    public DateTimeOffset CreatedAt { get; }
}
