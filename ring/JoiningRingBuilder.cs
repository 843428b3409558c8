using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// Builds the table of a ring whose nodes do not all serve reads: the read ring (readable nodes
/// only) and the write ring (all nodes) are built separately, each exactly as a plain ring, and
/// their ranges are overlaid. A range's set reads from the read ring's copies and writes to those
/// and to the write ring's copies, read copies first so that index 0 stays the read primary.
/// </summary>
internal static class JoiningRingBuilder
{
    public static ReplicaTable Build(ImmutableArray<RingNode> nodes, IReadOnlyList<bool> readable, int replicas)
    {
        var readIndexes = new List<int>();
        for (var i = 0; i < nodes.Length; i++)
        {
            if (readable[i])
            {
                readIndexes.Add(i);
            }
        }

        var writeTable = ReplicaTableBuilder.Build(nodes, replicas);
        var readTable = ReplicaTableBuilder.Build(readIndexes.Select(i => nodes[i]).ToList(), replicas);
        var writeBounds = writeTable.UpperBounds;
        var readBounds = readTable.UpperBounds;

        var bounds = new List<uint>();
        var rangeSets = new List<ReplicaSet>();
        var byNodes = new Dictionary<string, ReplicaSet>(StringComparer.Ordinal);
        var sets = ImmutableArray.CreateBuilder<ReplicaSet>();
        int w = 0, r = 0;
        while (true)
        {
            var last = Math.Min(writeBounds[w], readBounds[r]);
            var set = Combine(readTable.RangeSets[r], writeTable.RangeSets[w], readIndexes, byNodes, sets);
            if (rangeSets.Count > 0 && ReferenceEquals(rangeSets[^1], set))
            {
                bounds[^1] = last;
            }
            else
            {
                bounds.Add(last);
                rangeSets.Add(set);
            }

            if (last == uint.MaxValue)
            {
                break;
            }

            if (writeBounds[w] == last)
            {
                w++;
            }

            if (readBounds[r] == last)
            {
                r++;
            }
        }

        return new ReplicaTable([.. bounds], [.. rangeSets], sets.ToImmutable());
    }

    private static ReplicaSet Combine(ReplicaSet read, ReplicaSet write, List<int> readIndexes, Dictionary<string, ReplicaSet> byNodes,
        ImmutableArray<ReplicaSet>.Builder sets)
    {
        var reads = read.Reads.Select(i => readIndexes[i]).ToImmutableArray();
        var writes = reads.AddRange(write.Reads.Where(n => !reads.Contains(n)));
        var key = string.Join(',', reads) + "|" + string.Join(',', writes);
        if (!byNodes.TryGetValue(key, out var set))
        {
            set = new ReplicaSet(sets.Count, reads, writes);
            byNodes.Add(key, set);
            sets.Add(set);
        }

        return set;
    }
}
