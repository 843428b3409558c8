using RedisRing.Ring;

namespace RedisRing.Ringctl.Keyspace;

/// <summary>
/// Exact shares of the 2^32 hash space, from the ring's precomputed ranges: for each node, the
/// fraction of keys it is the primary of and the fraction it holds a copy of; between two rings,
/// the fraction of keys whose copies change and, per node, the fraction it gains or gives up.
/// A fraction of the hash space is the expected fraction of keys (keys hash uniformly).
/// </summary>
internal static class KeyspaceShares
{
    private const double HashSpace = 4294967296.0;

    /// <summary>Per node index: (primary, copies) fractions, on the read ring for the primary and the write copies for copies.</summary>
    public static (double Primary, double Copies)[] Of(HashRing ring)
    {
        var shares = new (double Primary, double Copies)[ring.Nodes.Count];
        var bounds = ring.RangeUpperBounds;
        var sets = ring.RangeReplicaSets;
        long previous = -1;
        for (var i = 0; i < bounds.Length; i++)
        {
            var width = (bounds[i] - previous) / HashSpace;
            previous = bounds[i];
            var set = sets[i];
            if (set.Reads.Length > 0)
            {
                shares[set.Primary].Primary += width;
            }

            foreach (var node in set.Writes)
            {
                shares[node].Copies += width;
            }
        }

        return shares;
    }

    /// <summary>
    /// What changes from <paramref name="before"/> to <paramref name="after"/>, nodes matched by
    /// name: the fraction of keys whose set of copies changes, and per node name the fraction of
    /// keys it gets a new copy of and the fraction whose copy it no longer holds.
    /// </summary>
    public static (double Moved, Dictionary<string, (double Gains, double Loses)> PerNode) Change(HashRing before, HashRing after)
    {
        var perNode = new Dictionary<string, (double Gains, double Loses)>(StringComparer.Ordinal);
        foreach (var node in before.Nodes.Concat(after.Nodes))
        {
            perNode[node.Name] = (0, 0);
        }

        var beforeBounds = before.RangeUpperBounds;
        var afterBounds = after.RangeUpperBounds;
        var moved = 0.0;
        long previous = -1;
        int b = 0, a = 0;
        // Sweep the merged range bounds: each piece has one set in each ring.
        while (b < beforeBounds.Length && a < afterBounds.Length)
        {
            var bound = Math.Min(beforeBounds[b], afterBounds[a]);
            var width = (bound - previous) / HashSpace;
            previous = bound;
            var was = before.RangeReplicaSets[b].Writes.Select(n => before.Nodes[n].Name).ToHashSet(StringComparer.Ordinal);
            var now = after.RangeReplicaSets[a].Writes.Select(n => after.Nodes[n].Name).ToHashSet(StringComparer.Ordinal);
            if (!was.SetEquals(now))
            {
                moved += width;
                foreach (var gained in now.Except(was))
                {
                    perNode[gained] = (perNode[gained].Gains + width, perNode[gained].Loses);
                }

                foreach (var lost in was.Except(now))
                {
                    perNode[lost] = (perNode[lost].Gains, perNode[lost].Loses + width);
                }
            }

            if (beforeBounds[b] == bound)
            {
                b++;
            }

            if (afterBounds[a] == bound)
            {
                a++;
            }
        }

        return (moved, perNode);
    }
}
