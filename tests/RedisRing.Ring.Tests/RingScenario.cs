using FsCheck;
using FsCheck.Fluent;

namespace RedisRing.Ring.Tests;

/// <summary>A random ring for property tests: 1 to 7 nodes, equal or unequal weights, R from 1 to 4.</summary>
public sealed record RingScenario(RingNode[] Nodes, int Replicas, int Seed)
{
    public HashRing Build() => HashRing.Create(Nodes, new RingOptions { Replicas = Replicas });

    public override string ToString() =>
        $"R={Replicas} seed={Seed} nodes=[{string.Join(", ", Nodes.Select(n => $"{n.Name}:{n.Weight}"))}]";
}

public static class RingScenarios
{
    public static Arbitrary<RingScenario> Scenario() => Arb.From(
        from count in Gen.Choose(1, 7)
        from equal in Gen.Elements(true, false)
        from weights in Gen.ArrayOf(Gen.Choose(1, 12), count)
        from firstPort in Gen.Choose(1000, 60000)
        from replicas in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select new RingScenario(
            [.. weights.Select((weight, i) => RingNode.FromEndpoint("10.0.0." + (i + 1), firstPort + i, equal ? 1 : weight))],
            replicas,
            seed));
}
