using System.Text;

namespace RedisRing.Ring;

/// <summary>
/// All continuum points a node may own in any sub-ring, sorted by value. A server's points in a
/// ring of <c>count</c> points are always the first <c>count</c> of its sequence (digest 0's four,
/// then digest 1's...), so one sorted list answers "the node's first point at or after h" for
/// every sub-ring: skip entries whose sequence number is past that ring's count.
/// </summary>
internal sealed class NodePoints(string name)
{
    private readonly byte[] _name = Encoding.UTF8.GetBytes(name);
    private uint[] _values = [];
    private int[] _sequence = [];

    /// <summary>Makes sure the first <paramref name="count"/> points of the sequence are indexed.</summary>
    public void EnsureIndexed(int count)
    {
        if (count <= _values.Length)
        {
            return;
        }

        // Grow geometrically: sub-rings give a node more points as other nodes leave.
        count = Math.Max(count, _values.Length * 2);
        count = (count + Ketama.PointsPerHash - 1) / Ketama.PointsPerHash * Ketama.PointsPerHash;
        var values = new uint[count];
        var sequence = new int[count];
        for (var hashIndex = 0; hashIndex < count / Ketama.PointsPerHash; hashIndex++)
        {
            Ketama.HashPoints(_name, hashIndex, values.AsSpan(hashIndex * Ketama.PointsPerHash, Ketama.PointsPerHash));
        }

        for (var i = 0; i < count; i++)
        {
            sequence[i] = i;
        }

        // Sort by (value, sequence) so that equal values keep twemproxy's insertion order.
        var keys = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = ((ulong)values[i] << 32) | (uint)i;
        }

        Array.Sort(keys);
        for (var i = 0; i < count; i++)
        {
            values[i] = (uint)(keys[i] >> 32);
            sequence[i] = (int)(uint)keys[i];
        }

        _values = values;
        _sequence = sequence;
    }

    /// <summary>
    /// The smallest value &gt;= <paramref name="hash"/> among the node's first <paramref name="count"/>
    /// points, or false when all of them are below it.
    /// </summary>
    public bool TryFindAtOrAfter(uint hash, int count, out uint value)
    {
        var values = _values;
        var left = 0;
        var right = values.Length;
        while (left < right)
        {
            var middle = left + ((right - left) >> 1);
            if (values[middle] < hash)
            {
                left = middle + 1;
            }
            else
            {
                right = middle;
            }
        }

        for (var i = left; i < values.Length; i++)
        {
            if (_sequence[i] < count)
            {
                value = values[i];
                return true;
            }
        }

        value = 0;
        return false;
    }
}
