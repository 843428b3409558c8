using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// The nodes holding a key: the primary first, then the replicas in fail-over order. Keys with
/// the same node sequence share one instance, so <see cref="Id"/> can index per-set arrays.
/// </summary>
public sealed class ReplicaSet
{
    internal ReplicaSet(int id, ImmutableArray<int> reads)
        : this(id, reads, reads)
    {
    }

    internal ReplicaSet(int id, ImmutableArray<int> reads, ImmutableArray<int> writes)
    {
        Id = id;
        Reads = reads;
        Writes = writes;
    }

    /// <summary>Dense index, 0 to the ring's replica set count - 1.</summary>
    public int Id { get; }

    /// <summary>Node indexes that serve reads of the set's keys: [0] is the primary, then the replicas in fail-over order.</summary>
    public ImmutableArray<int> Reads { get; }

    /// <summary>
    /// Node indexes every write goes to: <see cref="Reads"/> first, in the same order, then the
    /// copies that take writes but serve no reads yet (joining or leaving nodes). Equal to
    /// <see cref="Reads"/> on a ring where every node serves reads.
    /// </summary>
    public ImmutableArray<int> Writes { get; }

    public int Primary => Reads[0];

    public override string ToString() => Writes.Length == Reads.Length
        ? $"#{Id} [{string.Join(", ", Reads)}]"
        : $"#{Id} [{string.Join(", ", Reads)}] + writes [{string.Join(", ", Writes.Skip(Reads.Length))}]";
}
