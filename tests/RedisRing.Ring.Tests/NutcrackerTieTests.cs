using System.Globalization;
using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Ring.Tests;

/// <summary>
/// Two continuum points with the same value: "tie-184" and "tie-434" both have a point at
/// 0x4e1fe473 (found by a birthday search over md5 points), and key "k70880" hashes just below it.
/// twemproxy's stable sort keeps the point of the server listed first, so the key goes to
/// whichever of the two is configured first.
/// </summary>
public class NutcrackerTieTests(ITestOutputHelper output)
{
    private const uint SharedPoint = 0x4e1fe473;
    private static readonly byte[] Key = "k70880"u8.ToArray();

    [Fact]
    public void TheTwoNamesReallyShareAPointAndTheKeyHashesOntoIt()
    {
        Assert.True(HasPoint("tie-184") && HasPoint("tie-434"));
        var ring = HashRing.Create([new("tie-184", "h", 1, 1), new("tie-434", "h", 2, 1)], new RingOptions());
        var continuum = ReferenceKetama.Continuum(ring.Nodes, [0, 1]);
        var before = continuum.Last(p => p.Value < SharedPoint).Value;
        Assert.InRange(HashRing.Hash(Key), before + 1, SharedPoint);
    }

    [Theory]
    [InlineData("tie-184", "tie-434")]
    [InlineData("tie-434", "tie-184")]
    public async Task OnEqualPointValuesTheServerListedFirstWinsAsInNutcracker(string first, string second)
    {
        await using var a = await RedisServer.StartAsync(output);
        await using var b = await RedisServer.StartAsync(output);
        var ring = HashRing.Create([new(first, "127.0.0.1", a.Port, 1), new(second, "127.0.0.1", b.Port, 1)], new RingOptions());
        Assert.Equal(0, ring.Locate(Key).Primary);

        await using (var nutcracker = await Nutcracker.StartAsync(output,
        [
            string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{a.Port}:1 {first}"),
            string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{b.Port}:1 {second}"),
        ]))
        {
            Assert.Equal("+OK", (await PipelinedRedis.SendAsync(nutcracker.Port, [PipelinedRedis.Command("SET", Key, "v")]))[0]);
        }

        Assert.Equal(":1\r\n", await a.CommandAsync("EXISTS", "k70880"));
        Assert.Equal(":0\r\n", await b.CommandAsync("EXISTS", "k70880"));
    }

    private static bool HasPoint(string name)
    {
        Span<uint> four = stackalloc uint[4];
        for (var hashIndex = 0; hashIndex < 40; hashIndex++)
        {
            Ketama.HashPoints(Encoding.ASCII.GetBytes(name), hashIndex, four);
            if (four.Contains(SharedPoint))
            {
                return true;
            }
        }

        return false;
    }
}
