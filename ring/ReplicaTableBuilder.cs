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
        // Ranges alternate between a few excluded sets, so sub-rings are cached by set.
        var rings = new Dictionary<string, SubRing>(StringComparer.Ordinal);
        SubRing? ring = null;
        int[]? ringExcludes = null;
        foreach (var range in ranges)
        {
            if (ringExcludes is null || !ringExcludes.AsSpan().SequenceEqual(range.Nodes))
            {
                var key = string.Join(',', range.Nodes.Order());
                if (!rings.TryGetValue(key, out ring))
                {
                    ring = new SubRing(nodes, points, nameOrder, range.Nodes);
                    rings.Add(key, ring);
                }

                ringExcludes = range.Nodes;
            }

            ulong cursor = range.First;
            while (cursor <= range.Last)
            {
                var (value, node, wrapped) = ring!.Successor((uint)cursor);
                var last = !wrapped && value <= range.Last ? value : range.Last;
                Append(next, (uint)cursor, last, range.Nodes, node);
                cursor = (ulong)last + 1;
            }
        }

        return next;
    }

    /// <summary>
    /// Adds the range [first, last] with nodes prefix + node, merging it into the previous range
    /// when that one has the same nodes.
    /// </summary>
    private static void Append(List<Range> ranges, uint first, uint last, int[] prefix, int node)
    {
        if (ranges.Count > 0)
        {
            var previous = ranges[^1].Nodes;
            if (previous[^1] == node && previous.AsSpan(0, previous.Length - 1).SequenceEqual(prefix))
            {
                ranges[^1] = ranges[^1] with { Last = last };
                return;
            }
        }

        ranges.Add(new Range(first, last, [.. prefix, node]));
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
