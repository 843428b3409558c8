namespace RedisRing.Captcha.Settings;

/// <summary>
/// Everything the service needs to know about one embedding site. Instances are immutable and
/// shared by every request that reads them; a refresh builds new ones.
/// </summary>
internal sealed record SiteSettings
{
    /// <summary>Public key the widget sends; safe to put in pages.</summary>
    public required string SiteKey { get; init; }

    /// <summary>SHA-256 of the site's secret. The plain secret is never stored.</summary>
    public required byte[] SecretHash { get; init; }

    /// <summary>Hostnames allowed to embed the widget; empty means any.</summary>
    public IReadOnlyList<string> AllowedHostnames { get; init; } = [];

    /// <summary>How far the answer may be from the secret x position, as a fraction of width.</summary>
    public double Tolerance { get; init; } = 0.02;

    /// <summary>Extra notch shapes drawn on the background to mislead image-analysis bots.</summary>
    public int Decoys { get; init; } = 1;

    public int ImageWidth { get; init; } = 320;

    public int ImageHeight { get; init; } = 160;

    public string Theme { get; init; } = "light";

    public ImageFormat ImageFormat { get; init; } = ImageFormat.Jpeg;

    public int ChallengeTtlSeconds { get; init; } = 120;

    public int TokenTtlSeconds { get; init; } = 120;

    /// <summary>Server-measured minimum time from issue to answer; faster answers are bots.</summary>
    public int MinSolveMilliseconds { get; init; } = 600;

    /// <summary>Whether arrow-key answers are accepted (key-timing checks and a proof of work instead of the motion checks).</summary>
    public bool AllowKeyboard { get; init; } = true;

    /// <summary>Proof of work a keyboard answer must carry, in leading zero bits of SHA-256 (2^n hashes expected); 0 = none.</summary>
    public int KeyboardPowBits { get; init; } = 16;

    /// <summary>Whether the non-visual path (no puzzle, a larger proof of work) is offered and accepted.</summary>
    public bool AllowAccessible { get; init; } = true;

    /// <summary>Proof of work an accessible answer must carry, in leading zero bits of SHA-256.</summary>
    public int AccessiblePowBits { get; init; } = 19;

    public RateLimitSettings RateLimits { get; init; } = new();

    /// <summary>
    /// When Redis is unreachable: false (the default) refuses everything; true lets siteverify
    /// answer success for a token whose signature verifies and that has not expired, with the
    /// right secret, so the site stays usable (such a token can then be redeemed more than once).
    /// </summary>
    public bool FailOpen { get; init; }
}
