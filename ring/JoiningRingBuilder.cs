using System.Collections.Immutable;

namespace RedisRing.Ring;

/// <summary>
/// Builds the table of a ring whose nodes do not all serve reads, or not all stay: the read ring
/// (readable nodes only) and the future ring (the nodes that stay: all but the leaving ones) are
/// built separately, each exactly as a plain ring, and their ranges are overlaid. A range's set
/// reads from the read ring's copies and writes to those and to the future ring's copies, read
/// copies first so that index 0 stays the read primary.
/// </summary>
internal static class JoiningRingBuilder
{
    public static ReplicaTable Build(ImmutableArray<RingNode> nodes, IReadOnlyList<bool> readable, IReadOnlyList<bool> future, int replicas)
    {
        var readIndexes = new List<int>();
        var futureIndexes = new List<int>();
        for (var i = 0; i < nodes.Length; i++)
        {
            if (readable[i])
            {
                readIndexes.Add(i);
            }

            if (future[i])
            {
                futureIndexes.Add(i);
            }
        }

        var writeTable = ReplicaTableBuilder.Build(futureIndexes.Select(i => nodes[i]).ToList(), replicas);
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
            var set = Combine(readTable.RangeSets[r], writeTable.RangeSets[w], readIndexes, futureIndexes, byNodes, sets);
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

    private static ReplicaSet Combine(ReplicaSet read, ReplicaSet write, List<int> readIndexes, List<int> futureIndexes, Dictionary<string, ReplicaSet> byNodes,
        ImmutableArray<ReplicaSet>.Builder sets)
    {
        var reads = read.Reads.Select(i => readIndexes[i]).ToImmutableArray();
        var writes = reads.AddRange(write.Reads.Select(i => futureIndexes[i]).Where(n => !reads.Contains(n)));
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
