using FsCheck.Xunit;

namespace RedisRing.Ring.Tests;

/// <summary>
/// A ring whose nodes do not all serve reads: reads must be placed exactly as on the ring of the
/// readable nodes alone, writes on those copies plus the copies of the ring of every node.
/// </summary>
[Properties(Arbitrary = [typeof(RingScenarios)], MaxTest = 40)]
public class JoiningRingTests
{
    [Property]
    public void Reads_are_placed_as_on_the_readable_ring_and_writes_add_the_full_rings_copies(RingScenario scenario)
    {
        var random = new Random(scenario.Seed);
        var readable = scenario.Nodes.Select(_ => random.Next(3) != 0).ToArray();
        var options = new RingOptions { Replicas = scenario.Replicas };
        var ring = HashRing.Create(scenario.Nodes, readable, options);
        var full = HashRing.Create(scenario.Nodes, options);
        var readIndexes = Enumerable.Range(0, scenario.Nodes.Length).Where(i => readable[i]).ToArray();
        var readRing = readIndexes.Length == 0 ? null : HashRing.Create(readIndexes.Select(i => scenario.Nodes[i]).ToList(), options);

        for (var i = 0; i < 400; i++)
        {
            var key = System.Text.Encoding.UTF8.GetBytes("key:" + random.Next());
            var set = ring.Locate(key);
            var expectedReads = readRing is null ? [] : readRing.Locate(key).Reads.Select(n => readIndexes[n]).ToArray();
            Assert.Equal(expectedReads, set.Reads.ToArray());
            var expectedWrites = expectedReads.Concat(full.Locate(key).Reads.Where(n => !expectedReads.Contains(n))).ToArray();
            Assert.Equal(expectedWrites, set.Writes.ToArray());
        }
    }

    [Property]
    public void With_leaving_nodes_writes_add_the_copies_of_the_ring_of_the_nodes_that_stay(RingScenario scenario)
    {
        // Some nodes leave (readable, not staying), some join (staying, not readable), the rest are up.
        var random = new Random(scenario.Seed);
        var roles = scenario.Nodes.Select(_ => random.Next(4)).ToArray();
        var readable = roles.Select(r => r != 1).ToArray();
        var stays = roles.Select(r => r != 2).ToArray();
        if (!stays.Any(s => s) || !readable.Any(r => r))
        {
            return;
        }

        var options = new RingOptions { Replicas = scenario.Replicas };
        var ring = HashRing.Create(scenario.Nodes, readable, stays, options);
        var readIndexes = Enumerable.Range(0, scenario.Nodes.Length).Where(i => readable[i]).ToArray();
        var futureIndexes = Enumerable.Range(0, scenario.Nodes.Length).Where(i => stays[i]).ToArray();
        var readRing = HashRing.Create(readIndexes.Select(i => scenario.Nodes[i]).ToList(), options);
        var futureRing = HashRing.Create(futureIndexes.Select(i => scenario.Nodes[i]).ToList(), options);
        for (var i = 0; i < 400; i++)
        {
            var key = System.Text.Encoding.UTF8.GetBytes("key:" + random.Next());
            var set = ring.Locate(key);
            var expectedReads = readRing.Locate(key).Reads.Select(n => readIndexes[n]).ToArray();
            Assert.Equal(expectedReads, set.Reads.ToArray());
            var expectedWrites = expectedReads.Concat(futureRing.Locate(key).Reads.Select(n => futureIndexes[n]).Where(n => !expectedReads.Contains(n))).ToArray();
            Assert.Equal(expectedWrites, set.Writes.ToArray());
        }
    }

    [Property]
    public void Keys_that_share_a_replica_set_share_its_read_and_write_copies(RingScenario scenario)
    {
        var random = new Random(scenario.Seed);
        var readable = scenario.Nodes.Select(_ => random.Next(2) == 0).ToArray();
        var ring = HashRing.Create(scenario.Nodes, readable, new RingOptions { Replicas = scenario.Replicas });
        // Ids index per-set arrays (the proxy's ordering gates): one id, one pair of node lists.
        var seen = new Dictionary<int, (int[] Reads, int[] Writes)>();
        for (var i = 0; i < 2000; i++)
        {
            var set = ring.ReplicaSetForHash((uint)random.NextInt64(0, 1L << 32));
            Assert.Same(ring.ReplicaSets[set.Id], set);
            if (seen.TryGetValue(set.Id, out var known))
            {
                Assert.Equal(known.Reads, set.Reads.ToArray());
                Assert.Equal(known.Writes, set.Writes.ToArray());
            }
            else
            {
                seen[set.Id] = (set.Reads.ToArray(), set.Writes.ToArray());
            }
        }

        Assert.Equal(ring.ReplicaSets.Count, ring.ReplicaSets.Select(s => string.Join(',', s.Reads) + "|" + string.Join(',', s.Writes)).Distinct().Count());
    }

    [Fact]
    public void All_readable_gives_the_same_ring_as_the_plain_one()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => RingNode.FromEndpoint("127.0.0.1", 7000 + i)).ToList();
        var options = new RingOptions { Replicas = 2 };
        var ring = HashRing.Create(nodes, [true, true, true, true], options);
        var plain = HashRing.Create(nodes, options);
        Assert.Equal(plain.ReplicaSets.Select(s => s.ToString()), ring.ReplicaSets.Select(s => s.ToString()));
        Assert.All(ring.ReplicaSets, s => Assert.Equal(s.Reads, s.Writes));
    }

    [Fact]
    public void No_node_at_all_gives_one_empty_set_for_every_key()
    {
        var ring = HashRing.Create([], [], new RingOptions { Replicas = 2 });
        var set = ring.Locate("anything"u8);
        Assert.Empty(set.Reads);
        Assert.Empty(set.Writes);
        Assert.Single(ring.ReplicaSets);
    }

    [Fact]
    public void Only_joining_nodes_give_writes_but_no_reads()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => RingNode.FromEndpoint("127.0.0.1", 7000 + i)).ToList();
        var ring = HashRing.Create(nodes, [false, false, false], new RingOptions { Replicas = 2 });
        var set = ring.Locate("k"u8);
        Assert.Empty(set.Reads);
        Assert.Equal(2, set.Writes.Length);
    }

    [Fact]
    public void A_joining_node_that_takes_over_a_range_gets_its_writes_while_the_old_copies_keep_serving_reads()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => RingNode.FromEndpoint("127.0.0.1", 7000 + i)).ToList();
        var options = new RingOptions { Replicas = 2 };
        var ring = HashRing.Create(nodes, [true, true, false], options);
        var upOnly = HashRing.Create(nodes.Take(2).ToList(), options);
        var full = HashRing.Create(nodes, options);
        var moved = Enumerable.Range(0, 10_000).Select(i => System.Text.Encoding.UTF8.GetBytes("user:" + i))
            .First(k => full.Locate(k).Reads.Contains(2));
        var set = ring.Locate(moved);
        Assert.Equal(upOnly.Locate(moved).Reads.ToArray(), set.Reads.ToArray());
        Assert.Contains(2, set.Writes);
        Assert.DoesNotContain(2, set.Reads);
    }
}
