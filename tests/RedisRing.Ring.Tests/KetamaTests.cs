namespace RedisRing.Ring.Tests;

public class KetamaTests
{
    // Expected counts printed by twemproxy's points_per_server expression compiled with gcc.
    // "29 30 1" and "1 6 6 6 6" are the single-precision cases: exact arithmetic gives 232 and
    // 32 for the first node, float gives 228 and 28.
    [Theory]
    [InlineData(new[] { 1, 1, 1 }, new[] { 160, 160, 160 })]
    [InlineData(new[] { 1, 2, 3, 4, 5 }, new[] { 52, 104, 160, 212, 264 })]
    [InlineData(new[] { 1, 100 }, new[] { 0, 316 })]
    [InlineData(new[] { 7, 3 }, new[] { 224, 96 })]
    [InlineData(new[] { 10, 20, 30, 40 }, new[] { 64, 128, 192, 256 })]
    [InlineData(new[] { 29, 30, 1 }, new[] { 228, 240, 8 })]
    [InlineData(new[] { 1, 6, 6, 6, 6 }, new[] { 28, 188, 188, 188, 188 })]
    [InlineData(new[] { 100, 1, 1, 1 }, new[] { 620, 4, 4, 4 })]
    public void Point_counts_follow_twemproxys_single_precision_formula(int[] weights, int[] expected)
    {
        var total = weights.Sum();
        Assert.Equal(expected, weights.Select(w => Ketama.PointCount(w, total, weights.Length)));
    }

    [Fact]
    public void A_node_with_zero_points_is_never_primary_but_still_a_replica()
    {
        var ring = HashRing.Create([RingNode.FromEndpoint("a", 1, weight: 1), RingNode.FromEndpoint("b", 2, weight: 100)], new RingOptions());
        Assert.All(ring.ReplicaSets, set => Assert.Equal([1, 0], set.Reads.ToArray()));
    }

    [Fact]
    public void Names_longer_than_twemproxys_buffer_are_truncated_to_272_bytes()
    {
        Span<uint> first = stackalloc uint[4];
        Span<uint> second = stackalloc uint[4];
        var name = new byte[300];
        name.AsSpan().Fill((byte)'n');
        Ketama.HashPoints(name, 0, first);
        Ketama.HashPoints(name.AsSpan(0, 272), 7, second);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Default_name_is_host_colon_port_except_for_port_11211()
    {
        Assert.Equal("10.0.0.1:6379", RingNode.FromEndpoint("10.0.0.1", 6379).Name);
        Assert.Equal("10.0.0.1", RingNode.FromEndpoint("10.0.0.1", 11211).Name);
        Assert.Equal("cache-a", RingNode.FromEndpoint("10.0.0.1", 6379, 1, "cache-a").Name);
    }
}
