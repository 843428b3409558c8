using System.Globalization;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Ring.Tests;

/// <summary>
/// Checks every copy of the documented vectors against real nutcracker. Copy i+1 of a key is by
/// definition where twemproxy puts the key when copies 0..i are not in its server list, so for
/// every such prefix nutcracker is started over the remaining servers only and must put the key
/// on the documented next copy.
/// </summary>
public class NutcrackerVectorTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C")]
    public async Task Nutcracker_without_the_earlier_copies_puts_each_key_on_its_next_documented_copy(string label)
    {
        var vectors = DocumentedVectors.ByLabel(label);
        var servers = new List<RedisServer>();
        try
        {
            foreach (var start in vectors.Nodes.Select(_ => RedisServer.StartAsync(output)).ToList())
            {
                servers.Add(await start);
            }

            // Group the checks by the set of nodes left out: one nutcracker per group.
            var checks = vectors.Keys
                .SelectMany(v => v.Copies.Select((copy, i) => (Key: Convert.FromHexString(v.KeyHex), Excluded: v.Copies[..i].Order().ToArray(), Expected: copy)))
                .GroupBy(c => string.Join("|", c.Excluded));
            var checkedCount = 0;
            foreach (var group in checks)
            {
                var excluded = group.First().Excluded;
                var remaining = Enumerable.Range(0, servers.Count).Where(i => !excluded.Contains(vectors.Nodes[i].Name)).ToList();
                var lines = remaining.Select(i => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{servers[i].Port}:{vectors.Nodes[i].Weight} {vectors.Nodes[i].Name}"));
                await using (var nutcracker = await Nutcracker.StartAsync(output, lines, "{}"))
                {
                    var replies = await PipelinedRedis.SendAsync(nutcracker.Port, [.. group.Select(c => PipelinedRedis.Command("SET", c.Key, "v"))]);
                    Assert.All(replies, reply => Assert.Equal("+OK", reply));
                }

                foreach (var check in group)
                {
                    var holders = new List<string>();
                    foreach (var i in remaining)
                    {
                        if (await RawExistsAsync(servers[i].Port, check.Key))
                        {
                            holders.Add(vectors.Nodes[i].Name);
                        }
                    }

                    Assert.True(holders.SequenceEqual([check.Expected]), $"ring {label}, key {Convert.ToHexString(check.Key)}, without [{string.Join(",", excluded)}]: nutcracker put it on [{string.Join(",", holders)}], the docs say {check.Expected}");
                    checkedCount++;
                }

                foreach (var server in servers)
                {
                    Assert.Equal("+OK\r\n", await server.CommandAsync("FLUSHALL"));
                }
            }

            Assert.Equal(vectors.Keys.Sum(v => v.Copies.Length), checkedCount);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<bool> RawExistsAsync(int port, byte[] key) =>
        (await PipelinedRedis.SendAsync(port, [PipelinedRedis.Command("EXISTS", key)]))[0] == ":1";
}
