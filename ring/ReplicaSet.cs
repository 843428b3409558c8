using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// The nodes holding a key: the primary first, then the replicas in fail-over order. Keys with
/// the same node sequence share one instance, so <see cref="Id"/> can index per-set arrays.
/// </summary>
public sealed class ReplicaSet
{
    internal ReplicaSet(int id, ImmutableArray<int> nodes)
    {
        Id = id;
        Nodes = nodes;
    }

    /// <summary>Dense index, 0 to the ring's replica set count - 1.</summary>
    public int Id { get; }

    /// <summary>Node indexes: [0] is the primary, then the replicas in order.</summary>
    public ImmutableArray<int> Nodes { get; }

    public int Primary => Nodes[0];

    public override string ToString() => $"#{Id} [{string.Join(", ", Nodes)}]";
}
