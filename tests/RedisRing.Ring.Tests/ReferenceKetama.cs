using System.Text;

namespace RedisRing.Ring.Tests;

/// <summary>
/// The slow, literal reference the precomputed table is checked against: it builds each ring the
/// way twemproxy's ketama_update does (servers in twemproxy's order, which is sorted by name length
/// then name bytes, their points in order, a stable sort by value) and dispatches the way ketama_dispatch does (first value &gt;= hash, else wrap to the
/// first). Replicas are the primaries of rings built again without the copies chosen so far.
/// Only the per-server point arithmetic (count formula, md5 points) is shared with the library;
/// those are pinned by their own vectors and by the side-by-side test with nutcracker.
/// </summary>
internal static class ReferenceKetama
{
    public readonly record struct Point(uint Value, int Node);

    /// <summary>The continuum of the given node indexes (a sub-ring when some are left out).</summary>
    public static Point[] Continuum(IReadOnlyList<RingNode> nodes, IReadOnlyList<int> members)
    {
        var totalWeight = members.Sum(i => (long)nodes[i].Weight);
        var points = new List<Point>();
        Span<uint> four = stackalloc uint[4];
        var serverOrder = members
            .Select(i => (Index: i, Name: Encoding.UTF8.GetBytes(nodes[i].Name)))
            .OrderBy(s => s.Name.Length)
            .ThenBy(s => Convert.ToHexString(s.Name), StringComparer.Ordinal)
            .Select(s => s.Index);
        foreach (var i in serverOrder)
        {
            var count = Ketama.PointCount(nodes[i].Weight, totalWeight, members.Count);
            var name = Encoding.UTF8.GetBytes(nodes[i].Name);
            for (var hashIndex = 0; hashIndex < count / 4; hashIndex++)
            {
                Ketama.HashPoints(name, hashIndex, four);
                foreach (var value in four)
                {
                    points.Add(new Point(value, i));
                }
            }
        }

        // OrderBy is a stable sort, like the merge sort behind glibc's qsort.
        return [.. points.OrderBy(p => p.Value)];
    }

    public static int Dispatch(Point[] continuum, uint hash)
    {
        foreach (var point in continuum)
        {
            if (point.Value >= hash)
            {
                return point.Node;
            }
        }

        return continuum[0].Node;
    }

    /// <param name="continua">Continua already built, by member list, so that many hashes can share them.</param>
    public static int[] ReplicaSet(IReadOnlyList<RingNode> nodes, int replicas, uint hash, Dictionary<string, Point[]> continua)
    {
        var remaining = Enumerable.Range(0, nodes.Count).ToList();
        var chosen = new List<int>();
        while (chosen.Count < replicas && remaining.Count > 0)
        {
            var members = string.Join(",", remaining);
            if (!continua.TryGetValue(members, out var continuum))
            {
                continuum = Continuum(nodes, remaining);
                continua.Add(members, continuum);
            }

            var node = Dispatch(continuum, hash);
            chosen.Add(node);
            remaining.Remove(node);
        }

        return [.. chosen];
    }
}
