using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Replies and requests far larger than one receive, through a real proxy over real
/// redis-servers: the proxy must frame them as they arrive in pieces. (Rescanning each from its
/// first byte on every receive made a 300,000-element LRANGE time out.)
/// </summary>
public sealed class LargeFrameTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisRingCluster _cluster = null!;
    private ConnectionMultiplexer _client = null!;

    public async Task InitializeAsync()
    {
        // A generous command timeout: these tests are about framing, and the machine running them
        // may be slow; Redis itself takes a good part of a second over each of these commands.
        _cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--command-timeout-ms", "20000"]);
        var options = ConfigurationOptions.Parse(_cluster.ProxyEndpoint);
        options.AsyncTimeout = 60_000;
        options.SyncTimeout = 60_000;
        _client = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Lrange_of_a_300000_element_list_returns_every_element()
    {
        const int Count = 300_000;
        var db = _client.GetDatabase();
        for (var start = 0; start < Count; start += 10_000)
        {
            var batch = Enumerable.Range(start, 10_000).Select(i => (RedisValue)$"element:{i}").ToArray();
            Assert.Equal(start + batch.Length, await db.ListRightPushAsync("large:list", batch));
        }

        var elements = await db.ListRangeAsync("large:list", 0, -1);

        Assert.Equal(Count, elements.Length);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"element:{i}", (string?)elements[i]);
        }
    }

    [Fact]
    public async Task Sadd_with_200000_members_in_one_request_adds_them_all()
    {
        const int Count = 200_000;
        var db = _client.GetDatabase();
        var members = Enumerable.Range(0, Count).Select(i => (RedisValue)$"member:{i}").ToArray();

        Assert.Equal(Count, await db.SetAddAsync("large:set", members));

        Assert.Equal(Count, await db.SetLengthAsync("large:set"));
        var read = await db.SetMembersAsync("large:set");
        Assert.Equal(members.Select(m => (string?)m).Order(StringComparer.Ordinal), read.Select(m => (string?)m).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Mset_of_100000_keys_in_one_request_is_split_across_the_nodes_and_stores_every_key()
    {
        const int Count = 100_000;
        var db = _client.GetDatabase();
        var pairs = Enumerable.Range(0, Count).Select(i => new KeyValuePair<RedisKey, RedisValue>($"large:key:{i}", $"value:{i}")).ToArray();

        Assert.True(await db.StringSetAsync(pairs));

        var values = await db.StringGetAsync(pairs.Select(p => p.Key).ToArray());
        Assert.Equal(pairs.Select(p => (string?)p.Value), values.Select(v => (string?)v));
    }
}
