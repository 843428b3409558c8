using System.Text;

namespace RedisRing.Ring;

/// <summary>
/// The order twemproxy keeps its servers in: while checking for duplicate names it sorts the
/// server list by name (shorter names first, then byte by byte), and never restores the
/// configured order. The order only matters when two nodes have a point with the same value.
/// </summary>
internal static class TwemproxyServerOrder
{
    /// <summary>Node indexes sorted by (UTF-8 byte length of the name, then its bytes).</summary>
    public static int[] Of(IReadOnlyList<RingNode> nodes)
    {
        var names = nodes.Select(n => Encoding.UTF8.GetBytes(n.Name)).ToArray();
        var order = Enumerable.Range(0, nodes.Count).ToArray();
        Array.Sort(order, (a, b) => Compare(names[a], names[b]));
        return order;
    }

    public static int Compare(byte[] a, byte[] b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
}
