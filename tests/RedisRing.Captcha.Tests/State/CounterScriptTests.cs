using RedisRing.Captcha.State;
using RedisRing.Captcha.Tests.Support;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.State;

/// <summary>The rate-limit scripts against a real redis-server.</summary>
public sealed class CounterScriptTests(ITestOutputHelper output) : StoreOnRedisServer(output)
{
    private static readonly string ClientKey = RedisKeys.Counter("site-a", "ip", "10.0.0.1", 7);
    private static readonly string SiteKey = RedisKeys.Counter("site-a", "site", null, 7);
    private static readonly string FailuresKey = RedisKeys.Counter("site-a", "fail", "10.0.0.1", 3);

    [Fact]
    public async Task A_challenge_bumps_the_client_and_site_counters_and_reads_the_failures_in_one_command()
    {
        var first = await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, 100, 100);
        await Store.IncrementAsync(FailuresKey, TimeSpan.FromHours(1));
        var second = await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, 100, 100);

        Assert.Equal((1L, 1L, 0L), first);
        Assert.Equal((2L, 2L, 1L), second);
    }

    [Fact]
    public async Task A_request_refused_by_the_clients_own_limits_is_not_counted_against_the_site()
    {
        var db = Connection.GetDatabase();
        for (var i = 0; i < 3; i++)
        {
            await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, clientLimit: 2, failureLimit: 100);
        }

        Assert.Equal(2, (long)await db.StringGetAsync(SiteKey));

        await db.StringSetAsync(FailuresKey, 5);
        var refused = await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, clientLimit: 100, failureLimit: 5);

        Assert.Equal((0L, 0L, 5L), refused);
        Assert.Equal(2, (long)await db.StringGetAsync(SiteKey));
        Assert.Equal(3, (long)await db.StringGetAsync(ClientKey));
    }

    [Fact]
    public async Task Every_counter_expires_with_its_window_and_a_later_bump_does_not_push_it_back()
    {
        var db = Connection.GetDatabase();
        await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, 100, 100);
        await Store.IncrementAsync(FailuresKey, TimeSpan.FromHours(1));
        await db.KeyExpireAsync(ClientKey, TimeSpan.FromSeconds(5));
        await Store.CountChallengeAsync(ClientKey, SiteKey, TimeSpan.FromMinutes(1), FailuresKey, 100, 100);

        Assert.InRange((await db.KeyTimeToLiveAsync(ClientKey))!.Value.TotalSeconds, 1, 5);
        Assert.InRange((await db.KeyTimeToLiveAsync(SiteKey))!.Value.TotalSeconds, 55, 60);
        Assert.InRange((await db.KeyTimeToLiveAsync(FailuresKey))!.Value.TotalMinutes, 59, 60);
    }

    [Fact]
    public void All_of_a_sites_counters_share_its_hash_tag()
    {
        Assert.All([ClientKey, SiteKey, FailuresKey], key => Assert.StartsWith("rrc:rl:{site-a}:", key, StringComparison.Ordinal));
    }
}
