using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// The precomputed answer for every hash: hash ranges [previous bound + 1, bound] in ascending
/// order, the last ending at uint.MaxValue, each with the replica set of its keys. Lookup is one
/// binary search over the bounds.
/// </summary>
internal sealed class ReplicaTable(uint[] upperBounds, ReplicaSet[] rangeSets, ImmutableArray<ReplicaSet> sets)
{
    public ImmutableArray<ReplicaSet> Sets { get; } = sets;

    public int RangeCount => upperBounds.Length;

    /// <summary>The last hash of each range, ascending; the last is uint.MaxValue.</summary>
    public ReadOnlySpan<uint> UpperBounds => upperBounds;

    /// <summary>The replica set of each range.</summary>
    public ReadOnlySpan<ReplicaSet> RangeSets => rangeSets;

    public ReplicaSet Find(uint hash)
    {
        var bounds = upperBounds;
        var left = 0;
        var right = bounds.Length - 1;
        // The last bound is uint.MaxValue, so an answer always exists.
        while (left < right)
        {
            var middle = left + ((right - left) >> 1);
            if (bounds[middle] < hash)
            {
                left = middle + 1;
            }
            else
            {
                right = middle;
            }
        }

        return rangeSets[left];
    }
}
