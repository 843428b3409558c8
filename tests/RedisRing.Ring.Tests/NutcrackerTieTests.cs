using System.Globalization;
using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Ring.Tests;

/// <summary>
/// Two continuum points with the same value: "tie-184" and "tie-434" both have a point at
/// 0x4e201d73 (found by a birthday search over md5 points), and key "k70880" hashes just below it.
/// twemproxy keeps its servers sorted by name and its continuum sort is stable, so the key goes to
/// "tie-184" whichever of the two is configured first.
/// </summary>
public class NutcrackerTieTests(ITestOutputHelper output)
{
    private const uint SharedPoint = 0x4e201d73;
    private static readonly byte[] Key = "k70880"u8.ToArray();

    [Fact]
    public void The_two_names_really_share_a_point_and_the_key_hashes_onto_it()
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
    public async Task On_equal_point_values_the_node_whose_name_sorts_first_wins_as_in_nutcracker(string first, string second)
    {
        await using var a = await RedisServer.StartAsync(output);
        await using var b = await RedisServer.StartAsync(output);
        var ring = HashRing.Create([new(first, "127.0.0.1", a.Port, 1), new(second, "127.0.0.1", b.Port, 1)], new RingOptions());
        Assert.Equal("tie-184", ring.Nodes[ring.Locate(Key).Primary].Name);

        await using (var nutcracker = await Nutcracker.StartAsync(output,
        [
            string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{a.Port}:1 {first}"),
            string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{b.Port}:1 {second}"),
        ]))
        {
            Assert.Equal("+OK", (await PipelinedRedis.SendAsync(nutcracker.Port, [PipelinedRedis.Command("SET", Key, "v")]))[0]);
        }

        var (winner, loser) = first == "tie-184" ? (a, b) : (b, a);
        Assert.Equal(":1\r\n", await winner.CommandAsync("EXISTS", "k70880"));
        Assert.Equal(":0\r\n", await loser.CommandAsync("EXISTS", "k70880"));
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
