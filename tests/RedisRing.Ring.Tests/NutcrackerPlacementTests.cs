using System.Globalization;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Ring.Tests;

/// <summary>
/// Side by side with the real twemproxy: keys are written through nutcracker, then every
/// redis-server is asked directly which of them it holds, and each must sit exactly on the
/// primary our ring computes.
/// </summary>
public class NutcrackerPlacementTests(ITestOutputHelper output)
{
    private const int KeyCount = 3000;

    [Fact]
    public Task Three_equal_nodes_place_every_key_where_nutcracker_does() =>
        AssertSamePlacementAsync([1, 1, 1], names: null, hashTag: "{}", seed: 1);

    [Fact]
    public Task Five_nodes_with_unequal_weights_place_every_key_where_nutcracker_does() =>
        AssertSamePlacementAsync([1, 6, 6, 6, 6], names: null, hashTag: "{}", seed: 2);

    [Fact]
    public Task Single_precision_point_counts_place_every_key_where_nutcracker_does() =>
        AssertSamePlacementAsync([29, 30, 1], names: null, hashTag: "{}", seed: 3);

    [Fact]
    public Task Explicit_server_names_without_hash_tag_place_every_key_where_nutcracker_does() =>
        AssertSamePlacementAsync([2, 1, 3, 1], names: ["cache-a", "cache-b", "server-three", "d"], hashTag: null, seed: 4);

    private async Task AssertSamePlacementAsync(int[] weights, string[]? names, string? hashTag, int seed)
    {
        var servers = new List<RedisServer>();
        try
        {
            foreach (var start in weights.Select(_ => RedisServer.StartAsync(output)).ToList())
            {
                servers.Add(await start);
            }

            var nodes = servers.Select((server, i) => RingNode.FromEndpoint("127.0.0.1", server.Port, weights[i], names?[i])).ToArray();
            var lines = servers.Select((server, i) =>
                string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.Port}:{weights[i]}") + (names is null ? "" : " " + names[i]));
            await using var nutcracker = await Nutcracker.StartAsync(output, lines, hashTag);
            var ring = HashRing.Create(nodes, new RingOptions { HashTag = hashTag, Replicas = 2 });
            var keys = NutcrackerKeys.Generate(seed, KeyCount);

            var replies = await PipelinedRedis.SendAsync(nutcracker.Port, [.. keys.Select(key => PipelinedRedis.Command("SET", key, "v"))]);
            Assert.All(replies, reply => Assert.Equal("+OK", reply));

            var holders = new List<int>[keys.Count];
            for (var node = 0; node < servers.Count; node++)
            {
                var exists = await PipelinedRedis.SendAsync(servers[node].Port, [.. keys.Select(key => PipelinedRedis.Command("EXISTS", key))]);
                for (var k = 0; k < keys.Count; k++)
                {
                    if (exists[k] == ":1")
                    {
                        (holders[k] ??= []).Add(node);
                    }
                }
            }

            var mismatches = new List<string>();
            for (var k = 0; k < keys.Count; k++)
            {
                var expected = ring.Locate(keys[k]).Primary;
                if (holders[k] is not [var actual] || actual != expected)
                {
                    mismatches.Add($"key {Convert.ToHexString(keys[k].AsSpan(0, Math.Min(keys[k].Length, 40)))}: nutcracker put it on [{string.Join(",", holders[k] ?? [])}], we say {expected}");
                }
            }

            output.WriteLine($"{keys.Count} keys, per node: {string.Join(", ", Enumerable.Range(0, servers.Count).Select(n => holders.Count(h => h is [var x] && x == n)))}");
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {keys.Count} keys differ:\n{string.Join("\n", mismatches.Take(20))}");
            Assert.All(Enumerable.Range(0, servers.Count), n => Assert.Contains(holders, h => h is [var x] && x == n || ring.ReplicaSets.All(s => s.Primary != n)));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
