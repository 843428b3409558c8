using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// Builds the replica table level by level. Level 0 splits the whole hash space at the full
/// ring's points (primaries). Level i splits every range again at the points of the sub-ring
/// without that range's first i copies, so copy i is that sub-ring's primary for every hash in
/// the piece. Ranges only ever get split, so every hash keeps exactly the answer the sub-rings
/// give it, boundaries included.
/// </summary>
internal static class ReplicaTableBuilder
{
    private readonly record struct Range(uint First, uint Last, int[] Nodes);

    public static ReplicaTable Build(IReadOnlyList<RingNode> nodes, int replicas)
    {
        var points = new NodePoints[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            points[i] = new NodePoints(nodes[i].Name);
        }

        var nameOrder = TwemproxyServerOrder.Of(nodes);
        var ranges = new List<Range> { new(0, uint.MaxValue, []) };
        var levels = Math.Min(replicas, nodes.Count);
        for (var level = 0; level < levels; level++)
        {
            ranges = Split(ranges, nodes, points, nameOrder);
        }

        return ToTable(ranges);
    }

    private static List<Range> Split(List<Range> ranges, IReadOnlyList<RingNode> nodes, NodePoints[] points, int[] nameOrder)
    {
        var next = new List<Range>(ranges.Count * 2);
        SubRing? ring = null;
        int[]? ringExcludes = null;
        foreach (var range in ranges)
        {
            if (ringExcludes is null || !SameSet(ringExcludes, range.Nodes))
            {
                ring = new SubRing(nodes, points, nameOrder, range.Nodes);
                ringExcludes = range.Nodes;
            }

            ulong cursor = range.First;
            while (cursor <= range.Last)
            {
                var (value, node, wrapped) = ring!.Successor((uint)cursor);
                var last = !wrapped && value <= range.Last ? value : range.Last;
                Append(next, (uint)cursor, last, [.. range.Nodes, node]);
                cursor = (ulong)last + 1;
            }
        }

        return next;
    }

    /// <summary>Adds a range, merging it into the previous one when both have the same nodes.</summary>
    private static void Append(List<Range> ranges, uint first, uint last, int[] nodes)
    {
        if (ranges.Count > 0 && ranges[^1].Nodes.AsSpan().SequenceEqual(nodes))
        {
            ranges[^1] = ranges[^1] with { Last = last };
            return;
        }

        ranges.Add(new Range(first, last, nodes));
    }

    private static bool SameSet(int[] a, int[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        foreach (var x in a)
        {
            if (!b.AsSpan().Contains(x))
            {
                return false;
            }
        }

        return true;
    }

    private static ReplicaTable ToTable(List<Range> ranges)
    {
        var bounds = new uint[ranges.Count];
        var rangeSets = new ReplicaSet[ranges.Count];
        var byNodes = new Dictionary<string, ReplicaSet>(StringComparer.Ordinal);
        var sets = ImmutableArray.CreateBuilder<ReplicaSet>();
        for (var i = 0; i < ranges.Count; i++)
        {
            var key = string.Join(',', ranges[i].Nodes);
            if (!byNodes.TryGetValue(key, out var set))
            {
                set = new ReplicaSet(sets.Count, [.. ranges[i].Nodes]);
                byNodes.Add(key, set);
                sets.Add(set);
            }

            bounds[i] = ranges[i].Last;
            rangeSets[i] = set;
        }

        return new ReplicaTable(bounds, rangeSets, sets.ToImmutable());
    }
}
