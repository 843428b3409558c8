namespace RedisRing.Ring;

/// <summary>
/// The ketama continuum twemproxy would build from the nodes not yet excluded, queried through the
/// per-node point lists instead of being materialised. Excluded nodes are the copies already
/// chosen for a key, so this answers "where would the key go if those nodes were gone".
/// </summary>
internal sealed class SubRing
{
    private readonly NodePoints[] _points;
    private readonly int[] _counts;
    private readonly int[] _nameOrder;

    /// <param name="nameOrder">Node indexes sorted the way twemproxy sorts its servers (see <see cref="TwemproxyServerOrder"/>).</param>
    public SubRing(IReadOnlyList<RingNode> nodes, NodePoints[] points, int[] nameOrder, ReadOnlySpan<int> excluded)
    {
        _points = points;
        _nameOrder = nameOrder;
        _counts = new int[nodes.Count];
        long totalWeight = 0;
        var live = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!excluded.Contains(i))
            {
                totalWeight += nodes[i].Weight;
                live++;
            }
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            if (!excluded.Contains(i))
            {
                _counts[i] = Ketama.PointCount(nodes[i].Weight, totalWeight, live);
                points[i].EnsureIndexed(_counts[i]);
            }
        }
    }

    /// <summary>
    /// twemproxy's dispatch: the first continuum point whose value is &gt;= <paramref name="hash"/>,
    /// wrapping to the lowest point when there is none. Equal values from different nodes go to the
    /// node whose name sorts first: twemproxy inserts points server by server in its server order,
    /// which is sorted by name, and glibc's qsort (a merge sort) keeps equal values in that order.
    /// </summary>
    public (uint Value, int Node, bool Wrapped) Successor(uint hash)
    {
        if (TryFindAtOrAfter(hash, out var value, out var node))
        {
            return (value, node, false);
        }

        if (!TryFindAtOrAfter(0, out value, out node))
        {
            // Unreachable: the point counts of a ring's servers add up to at least 160.
            throw new InvalidOperationException("A sub-ring has no points.");
        }

        return (value, node, true);
    }

    private bool TryFindAtOrAfter(uint hash, out uint bestValue, out int bestNode)
    {
        bestValue = 0;
        bestNode = -1;
        foreach (var i in _nameOrder)
        {
            if (_counts[i] > 0
                && _points[i].TryFindAtOrAfter(hash, _counts[i], out var value)
                && (bestNode < 0 || value < bestValue))
            {
                bestValue = value;
                bestNode = i;
            }
        }

        return bestNode >= 0;
    }
}
