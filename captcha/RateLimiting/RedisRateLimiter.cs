using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.RateLimiting;

/// <summary>
/// Fixed-window counters in Redis (one key per client or site and window), so every instance of
/// the service counts against the same limits. A window's key expires with the window. All of a
/// site's counters share a hash tag: checking a challenge is one script, one command. A client is
/// an address group (<see cref="Api.ClientAddressGrouping"/>: an IPv4 address, an IPv6 /64), and a
/// request its own limits refuse is not counted against the site's.
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
        var (perIp, perSite, failures) = await store.CountChallengeAsync(
            RedisKeys.Counter(site.SiteKey, "ip", clientIp, minute),
            RedisKeys.Counter(site.SiteKey, "site", null, minute),
            Minute,
            RedisKeys.Counter(site.SiteKey, "fail", clientIp, hour),
            site.RateLimits.ChallengesPerIpPerMinute,
            site.RateLimits.FailuresPerIpPerHour);
        var untilNextMinute = TimeSpan.FromSeconds(60 - (now % 60));
        if (failures >= site.RateLimits.FailuresPerIpPerHour)
        {
            return new RateLimitDecision(false, "too-many-failures", TimeSpan.FromSeconds(3600 - (now % 3600)));
        }

        if (perIp > site.RateLimits.ChallengesPerIpPerMinute)
        {
            return new RateLimitDecision(false, "client-rate-limit", untilNextMinute);
        }

        return perSite > site.RateLimits.ChallengesPerSitePerMinute
            ? new RateLimitDecision(false, "site-rate-limit", untilNextMinute)
            : RateLimitDecision.Allow;
    }

    /// <summary>
    /// Counts an accessible answer against the client's own hourly bucket (separate from the
    /// challenge counters, and smaller): that path proves only a proof of work, so how often one
    /// client may take it is limited on its own.
    /// </summary>
    public async Task<RateLimitDecision> CheckAccessibleAnswerAsync(SiteSettings site, string clientIp)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var count = await store.IncrementAsync(RedisKeys.Counter(site.SiteKey, "acc", clientIp, now / 3600), Hour);
        return count > site.RateLimits.AccessibleAnswersPerIpPerHour
            ? new RateLimitDecision(false, "accessible-rate-limit", TimeSpan.FromSeconds(3600 - (now % 3600)))
            : RateLimitDecision.Allow;
    }

    /// <summary>Counts a failed answer against the client for the current hour.</summary>
    public Task RecordFailureAsync(SiteSettings site, string clientIp)
    {
        var hour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        return store.IncrementAsync(RedisKeys.Counter(site.SiteKey, "fail", clientIp, hour), Hour);
    }
}
