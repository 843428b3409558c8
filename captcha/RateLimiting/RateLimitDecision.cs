namespace RedisRing.Captcha.RateLimiting;

/// <summary>Whether a challenge may be issued, and if not, which limit was hit and for how long.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, string? Limit, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow { get; } = new(true, null, TimeSpan.Zero);
}
