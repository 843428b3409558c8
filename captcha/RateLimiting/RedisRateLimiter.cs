using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.RateLimiting;

/// <summary>
/// Fixed-window counters in Redis (one key per client or site and window), so every instance of
/// the service counts against the same limits. A window's key expires with the window.
/// </summary>
internal sealed class RedisRateLimiter(CaptchaStore store, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public async Task<RateLimitDecision> CheckChallengeAsync(SiteSettings site, string clientIp)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var minute = now / 60;
        var hour = now / 3600;
        var client = site.SiteKey + ":" + clientIp;
        // Two commands, sent together: the client's minute counter and its failure count share a
        // hash tag (one script), the site's counter is on whichever node owns it.
        var perClient = store.IncrementAndReadAsync(RedisKeys.Counter("ip", client, minute), Minute, RedisKeys.Counter("fail", client, hour));
        var perSite = store.IncrementAsync(RedisKeys.Counter("site", site.SiteKey, minute), Minute);
        var untilNextMinute = TimeSpan.FromSeconds(60 - (now % 60));
        var (perIp, failures) = await perClient;
        if (failures >= site.RateLimits.FailuresPerIpPerHour)
        {
            await perSite;
            return new RateLimitDecision(false, "too-many-failures", TimeSpan.FromSeconds(3600 - (now % 3600)));
        }

        if (perIp > site.RateLimits.ChallengesPerIpPerMinute)
        {
            await perSite;
            return new RateLimitDecision(false, "client-rate-limit", untilNextMinute);
        }

        return await perSite > site.RateLimits.ChallengesPerSitePerMinute
            ? new RateLimitDecision(false, "site-rate-limit", untilNextMinute)
            : RateLimitDecision.Allow;
    }

    /// <summary>Counts a failed answer against the client for the current hour.</summary>
    public Task RecordFailureAsync(SiteSettings site, string clientIp)
    {
        var hour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        return store.IncrementAsync(RedisKeys.Counter("fail", site.SiteKey + ":" + clientIp, hour), Hour);
    }
}
