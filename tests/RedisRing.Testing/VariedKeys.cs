using System.Globalization;
using System.Text;
using RedisRing.Ring;

namespace RedisRing.Testing;

/// <summary>
/// Keys a test wants on particular nodes. They are drawn from a seeded random sequence rather than
/// numbered ("k0".."k99"): short keys that differ only in their last characters cluster under
/// fnv1a, so numbered keys can all land on one arc and miss the node the test is about.
/// </summary>
public static class VariedKeys
{
    private const int Candidates = 20_000;

    /// <summary>
    /// Up to <paramref name="count"/> keys "<paramref name="prefix"/>hex" (the same ones for the
    /// same seed) whose replica set on <paramref name="ring"/> satisfies <paramref name="placement"/>.
    /// </summary>
    public static List<string> Placed(HashRing ring, string prefix, int seed, Func<ReplicaSet, bool> placement, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Candidates)
            .Select(_ => prefix + random.NextInt64().ToString("x", CultureInfo.InvariantCulture))
            .Where(key => placement(ring.Locate(Encoding.UTF8.GetBytes(key))))
            .Take(count)
            .ToList();
    }
}
