using FsCheck.Xunit;

namespace RedisRing.Ring.Tests;

public class LocateAllocationTests
{
    [Property(Arbitrary = [typeof(RingScenarios)], MaxTest = 20)]
    public void Locate_allocates_nothing(RingScenario scenario)
    {
        var ring = scenario.Build();
        var keys = Enumerable.Range(0, 64).Select(i => System.Text.Encoding.ASCII.GetBytes($"{{tag{i % 7}}}key:{i}:{scenario.Seed}")).ToArray();
        var sum = 0;
        // Warm up first, so that tiered compilation and first-call work are not counted.
        foreach (var key in keys)
        {
            sum += ring.Locate(key).Id;
        }

        // The runtime itself may allocate a few bytes on this thread once in a while (tiered
        // compilation installing call counters, on-stack replacement of the hot loop). A lookup
        // that allocated would show up in every pass, at least 24 bytes times 12,800 lookups, so:
        // some pass allocates nothing, and no pass allocates as much as a byte per lookup (a pass
        // that caught the runtime's own work has shown a few kilobytes on a loaded CI machine).
        var passes = Enumerable.Range(0, 8).Select(_ => Measure(ring, keys, ref sum)).ToArray();
        Assert.True(sum >= 0);
        Assert.Contains(0L, passes);
        Assert.All(passes, allocated => Assert.InRange(allocated, 0, LookupsPerPass - 1));
    }

    private const int Rounds = 100;
    private const int LookupsPerPass = Rounds * 64 * 2;

    private static long Measure(HashRing ring, byte[][] keys, ref int sum)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var key in keys)
            {
                sum += ring.Locate(key).Primary + ring.NodeForHash(HashRing.Hash(key));
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
