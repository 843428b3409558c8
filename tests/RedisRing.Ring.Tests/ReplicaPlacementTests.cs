using FsCheck.Xunit;

namespace RedisRing.Ring.Tests;

[Properties(Arbitrary = [typeof(RingScenarios)], MaxTest = 40)]
public class ReplicaPlacementTests
{
    [Property]
    public void Locate_equals_the_slow_sub_ring_reference_at_random_and_boundary_hashes(RingScenario scenario)
    {
        var ring = scenario.Build();
        var full = ReferenceKetama.Continuum(scenario.Nodes, [.. Enumerable.Range(0, scenario.Nodes.Length)]);
        var random = new Random(scenario.Seed);
        var hashes = new List<uint> { 0, 1, uint.MaxValue, uint.MaxValue - 1 };
        // Every point of the full ring and of every first-level sub-ring, and their neighbours:
        // that is where ranges start and end.
        var boundaries = full.Select(p => p.Value).ToList();
        for (var left = 0; left < scenario.Nodes.Length; left++)
        {
            boundaries.AddRange(ReferenceKetama.Continuum(scenario.Nodes, [.. Enumerable.Range(0, scenario.Nodes.Length).Where(i => i != left)]).Select(p => p.Value));
        }

        foreach (var value in boundaries.OrderBy(_ => random.Next()).Take(60))
        {
            hashes.AddRange([value, value - 1, value + 1]);
        }

        for (var i = 0; i < 60; i++)
        {
            hashes.Add((uint)random.NextInt64(0, 1L << 32));
        }

        var continua = new Dictionary<string, ReferenceKetama.Point[]>();
        foreach (var hash in hashes)
        {
            var expected = ReferenceKetama.ReplicaSet(scenario.Nodes, scenario.Replicas, hash, continua);
            Assert.True(expected.SequenceEqual(ring.ReplicaSetForHash(hash).Reads), $"hash {hash:x8}: expected [{string.Join(",", expected)}], got {ring.ReplicaSetForHash(hash)}");
            Assert.Equal(ReferenceKetama.Dispatch(full, hash), ring.NodeForHash(hash));
        }
    }

    [Property]
    public void Replica_sets_hold_distinct_nodes_and_as_many_as_possible(RingScenario scenario)
    {
        var ring = scenario.Build();
        Assert.All(ring.ReplicaSets, set =>
        {
            Assert.Equal(Math.Min(scenario.Replicas, scenario.Nodes.Length), set.Reads.Length);
            Assert.Equal(set.Reads.Length, set.Reads.Distinct().Count());
            Assert.All(set.Reads, node => Assert.InRange(node, 0, scenario.Nodes.Length - 1));
        });
    }

    [Property]
    public void Replica_set_ids_are_dense_indexes_of_distinct_sets(RingScenario scenario)
    {
        var ring = scenario.Build();
        for (var i = 0; i < ring.ReplicaSets.Count; i++)
        {
            Assert.Equal(i, ring.ReplicaSets[i].Id);
        }

        Assert.Equal(ring.ReplicaSets.Count, ring.ReplicaSets.Select(s => string.Join(",", s.Reads)).Distinct().Count());
    }

    [Property]
    public void When_a_primary_leaves_its_keys_go_to_their_first_replica(RingScenario scenario)
    {
        if (scenario.Nodes.Length < 2 || scenario.Replicas < 2)
        {
            return;
        }

        var ring = scenario.Build();
        var rings = new Dictionary<int, HashRing>();
        var random = new Random(scenario.Seed);
        for (var i = 0; i < 300; i++)
        {
            var key = new byte[random.Next(1, 24)];
            random.NextBytes(key);
            var before = ring.Locate(key);
            var leaving = scenario.Nodes[before.Primary];
            if (!rings.TryGetValue(before.Primary, out var after))
            {
                after = HashRing.Create([.. scenario.Nodes.Where(n => n != leaving)], ring.Options);
                rings.Add(before.Primary, after);
            }

            var newPrimary = after.Nodes[after.Locate(key).Primary];
            Assert.Equal(scenario.Nodes[before.Reads[1]], newPrimary);
            // The rest of the old set keeps its order at the front of the new one.
            Assert.Equal(
                before.Reads.Skip(1).Select(n => scenario.Nodes[n]),
                after.Locate(key).Reads.Take(before.Reads.Length - 1).Select(n => after.Nodes[n]));
        }
    }

    [Property]
    public void With_equal_weights_replicas_are_the_next_distinct_nodes_clockwise(RingScenario scenario)
    {
        var nodes = scenario.Nodes.Select(n => n with { Weight = 3 }).ToArray();
        var ring = HashRing.Create(nodes, new RingOptions { Replicas = scenario.Replicas });
        var continuum = ReferenceKetama.Continuum(nodes, [.. Enumerable.Range(0, nodes.Length)]);
        var random = new Random(scenario.Seed);
        for (var i = 0; i < 200; i++)
        {
            var hash = (uint)random.NextInt64(0, 1L << 32);
            var start = Array.FindIndex(continuum, p => p.Value >= hash);
            var clockwise = new List<int>();
            for (var step = 0; step < continuum.Length && clockwise.Count < scenario.Replicas; step++)
            {
                var node = continuum[(Math.Max(start, 0) + step) % continuum.Length].Node;
                if (!clockwise.Contains(node))
                {
                    clockwise.Add(node);
                }
            }

            Assert.Equal(clockwise, ring.ReplicaSetForHash(hash).Reads);
        }
    }
}
