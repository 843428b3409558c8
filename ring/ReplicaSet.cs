using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// The nodes holding a key: the primary first, then the replicas in fail-over order. Keys with
/// the same node sequence share one instance, so <see cref="Id"/> can index per-set arrays.
/// </summary>
public sealed class ReplicaSet
{
    internal ReplicaSet(int id, ImmutableArray<int> nodes)
        : this(id, nodes, nodes)
    {
    }

    internal ReplicaSet(int id, ImmutableArray<int> nodes, ImmutableArray<int> writes)
    {
        Id = id;
        Nodes = nodes;
        Writes = writes;
    }

    /// <summary>Dense index, 0 to the ring's replica set count - 1.</summary>
    public int Id { get; }

    /// <summary>Node indexes: [0] is the primary, then the replicas in order.</summary>
    public ImmutableArray<int> Nodes { get; }

    /// <summary>
    /// Node indexes every write goes to: <see cref="Nodes"/> first, in the same order, then the
    /// copies that take writes but serve no reads yet (joining or leaving nodes). Equal to
    /// <see cref="Nodes"/> on a ring where every node serves reads.
    /// </summary>
    public ImmutableArray<int> Writes { get; }

    public int Primary => Nodes[0];

    public override string ToString() => Writes.Length == Nodes.Length
        ? $"#{Id} [{string.Join(", ", Nodes)}]"
        : $"#{Id} [{string.Join(", ", Nodes)}] + writes [{string.Join(", ", Writes.Skip(Nodes.Length))}]";
}
