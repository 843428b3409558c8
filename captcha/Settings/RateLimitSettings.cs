namespace RedisRing.Captcha.Settings;

/// <summary>Per-site limits, counted in Redis so that every instance of the service shares them.</summary>
internal sealed record RateLimitSettings
{
    /// <summary>Challenges one client IP may request per minute for this site.</summary>
    public int ChallengesPerIpPerMinute { get; init; } = 60;

    /// <summary>Challenges the whole site may request per minute.</summary>
    public int ChallengesPerSitePerMinute { get; init; } = 1_000_000;

    /// <summary>Failed answers after which a client IP gets no more challenges for an hour.</summary>
    public int FailuresPerIpPerHour { get; init; } = 30;

    /// <summary>
    /// Accessible answers (passed or not) one client IP may send per hour for this site: a bucket
    /// of its own, smaller than the challenge limit, since that path proves only a proof of work.
    /// </summary>
    public int AccessibleAnswersPerIpPerHour { get; init; } = 20;
}
