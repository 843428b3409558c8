using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// An immutable snapshot of the ring: twemproxy 0.5 ketama placement (fnv1a_64) for primaries,
/// replicas chosen so that a departing node's keys move to a node that already has a copy.
/// Everything is computed in <see cref="Create(IReadOnlyList{RingNode}, IReadOnlyList{bool}, RingOptions)"/>; lookups are a binary search and an array read,
/// allocate nothing and are safe from any number of threads.
/// </summary>
public sealed class HashRing
{
    private readonly ReplicaTable _table;
    private readonly bool _hasHashTag;
    private readonly byte _tagOpen;
    private readonly byte _tagClose;

    private HashRing(ImmutableArray<RingNode> nodes, RingOptions options, ReplicaTable table)
    {
        Nodes = nodes;
        Options = options;
        _table = table;
        // Boxed once here rather than on every property read.
        ReplicaSets = table.Sets;
        if (!string.IsNullOrEmpty(options.HashTag))
        {
            _hasHashTag = true;
            _tagOpen = (byte)options.HashTag[0];
            _tagClose = (byte)options.HashTag[1];
        }
    }

    /// <summary>The nodes in the given order; a node's index is its position here.</summary>
    public IReadOnlyList<RingNode> Nodes { get; }

    public RingOptions Options { get; }

    /// <summary>Every distinct replica set; a set's <see cref="ReplicaSet.Id"/> is its index here.</summary>
    public IReadOnlyList<ReplicaSet> ReplicaSets { get; }

    /// <summary>How many hash ranges the precomputed table has (a size figure for diagnostics).</summary>
    public int RangeCount => _table.RangeCount;

    /// <summary>
    /// The last hash of each precomputed range, ascending (the last is uint.MaxValue); range i
    /// covers the hashes after range i-1's bound up to its own. With <see cref="RangeReplicaSets"/>
    /// this gives each node's exact share of the hash space (ringctl's <c>ring</c> command).
    /// </summary>
    public ReadOnlySpan<uint> RangeUpperBounds => _table.UpperBounds;

    /// <summary>The replica set of each range of <see cref="RangeUpperBounds"/>.</summary>
    public ReadOnlySpan<ReplicaSet> RangeReplicaSets => _table.RangeSets;

    /// <summary>Validates the nodes and options and precomputes the placement of every hash.</summary>
    /// <exception cref="ArgumentException">A node or option is invalid; the message says which.</exception>
    public static HashRing Create(IReadOnlyList<RingNode> nodes, RingOptions options)
    {
        RingValidation.Validate(nodes, options);
        var snapshot = nodes.ToImmutableArray();
        return new HashRing(snapshot, options, ReplicaTableBuilder.Build(snapshot, options.Replicas));
    }

    /// <summary>
    /// A ring in which some nodes take writes but serve no reads yet (a node joining the cluster).
    /// Reads are placed on the ring of the readable nodes alone, exactly as
    /// <see cref="Create(IReadOnlyList{RingNode}, RingOptions)"/> would place them; writes go to
    /// those copies and to the copies the ring of all nodes gives, so no copy misses a write
    /// while a node joins. Node indexes refer to <paramref name="nodes"/>. With no node at all the
    /// ring has one empty replica set, so a lookup always answers (with nowhere to go).
    /// </summary>
    /// <param name="nodes">Every node that takes writes.</param>
    /// <param name="readable">Per node: whether it serves reads.</param>
    /// <param name="options">Ring parameters, shared by both rings.</param>
    /// <exception cref="ArgumentException">A node or option is invalid; the message says which.</exception>
    public static HashRing Create(IReadOnlyList<RingNode> nodes, IReadOnlyList<bool> readable, RingOptions options) =>
        Create(nodes, readable, nodes.Select(_ => true).ToList(), options);

    /// <summary>
    /// A ring in the middle of membership changes: reads are placed on the ring of the readable
    /// nodes (those that are up, and those leaving, which still hold their data), writes go to
    /// those copies and to the copies of the future ring (the nodes that stay: up and joining),
    /// so the nodes that will own a key after the change get every write before it.
    /// </summary>
    /// <param name="nodes">Every node that takes writes.</param>
    /// <param name="readable">Per node: whether it serves reads.</param>
    /// <param name="future">Per node: whether it is in the ring after the change (false for a leaving node).</param>
    /// <param name="options">Ring parameters, shared by both rings.</param>
    /// <exception cref="ArgumentException">A node or option is invalid; the message says which.</exception>
    public static HashRing Create(IReadOnlyList<RingNode> nodes, IReadOnlyList<bool> readable, IReadOnlyList<bool> future, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(readable);
        ArgumentNullException.ThrowIfNull(future);
        if (readable.Count != nodes.Count || future.Count != nodes.Count)
        {
            throw new ArgumentException("One readable and one future flag per node are needed.", nameof(readable));
        }

        if (nodes.Count == 0)
        {
            RingValidation.ValidateOptions(options);
            return new HashRing([], options, ReplicaTableBuilder.Build([], options.Replicas));
        }

        RingValidation.Validate(nodes, options);
        var snapshot = nodes.ToImmutableArray();
        // Without a node that stays (every node leaving), writes follow the reads.
        var stays = future.Any(f => f) ? future : readable;
        return readable.All(r => r) && stays.All(f => f)
            ? new HashRing(snapshot, options, ReplicaTableBuilder.Build(snapshot, options.Replicas))
            : new HashRing(snapshot, options, JoiningRingBuilder.Build(snapshot, readable, stays, options.Replicas));
    }

    /// <summary>The replica set of a key: hash tag applied, then hashed, then looked up.</summary>
    public ReplicaSet Locate(ReadOnlySpan<byte> key) => _table.Find(HashKey(key));

    /// <summary>
    /// The bytes of <paramref name="key"/> the ring hashes: the hash tag's content when the key
    /// has one (and tags are on), otherwise the whole key. Two keys with equal hashed parts are on
    /// the same replica set in every ring, whatever nodes join or leave.
    /// </summary>
    public ReadOnlySpan<byte> HashedPart(ReadOnlySpan<byte> key) => _hasHashTag ? HashTag.Apply(key, _tagOpen, _tagClose) : key;

    /// <summary>
    /// The hash twemproxy dispatches a key on: the hash tag applied, then fnv1a_64, except that an
    /// empty key hashes to 0.
    /// </summary>
    public uint HashKey(ReadOnlySpan<byte> key)
    {
        if (_hasHashTag)
        {
            key = HashTag.Apply(key, _tagOpen, _tagClose);
        }

        return key.IsEmpty ? 0 : Hash(key);
    }

    /// <summary>twemproxy's fnv1a_64 of the bytes as given (32-bit result, bytes sign-extended, no hash tag).</summary>
    public static uint Hash(ReadOnlySpan<byte> key) => Fnv1a64.Hash(key);

    /// <summary>The primary node index for a hash (the continuum lookup with wrap-around).</summary>
    public int NodeForHash(uint hash) => _table.Find(hash).Primary;

    /// <summary>The replica set for a hash.</summary>
    public ReplicaSet ReplicaSetForHash(uint hash) => _table.Find(hash);
}
