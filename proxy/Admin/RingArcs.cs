using RedisRing.Ring;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// The ring as arcs of the 32-bit hash circle, each with the node that is primary for it, for
/// /api/ring and the dashboard's drawing. Sampled at <see cref="Samples"/> evenly spaced hashes
/// (the ring's own range table is internal to ring/), so an arc is exact to 1/65536 of the
/// circle: ownership figures are shares to that precision.
/// </summary>
internal sealed record RingArcs(IReadOnlyList<RingArcs.Arc> Arcs, IReadOnlyList<double> Ownership)
{
    public const int Samples = 65536;

    /// <param name="Start">Where the arc starts, as a fraction of the circle (0 ≤ start &lt; 1).</param>
    /// <param name="End">Where it ends, exclusive.</param>
    public sealed record Arc(double Start, double End, int Node, int ReplicaSet);

    public static RingArcs Of(HashRing ring)
    {
        var ownership = new double[ring.Nodes.Count];
        var arcs = new List<Arc>();
        if (ring.Nodes.Count == 0)
        {
            return new RingArcs(arcs, ownership);
        }

        var step = (double)(1L << 32) / Samples;
        var start = 0;
        var current = ring.ReplicaSetForHash(0);
        for (var i = 1; i <= Samples; i++)
        {
            var set = i < Samples ? ring.ReplicaSetForHash((uint)(i * step)) : null;
            if (set is not null && set.Id == current.Id)
            {
                continue;
            }

            if (current.Reads.Length > 0)
            {
                arcs.Add(new Arc((double)start / Samples, (double)i / Samples, current.Primary, current.Id));
                ownership[current.Primary] += (double)(i - start) / Samples;
            }

            start = i;
            current = set!;
        }

        return new RingArcs(arcs, ownership);
    }
}
