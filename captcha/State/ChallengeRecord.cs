namespace RedisRing.Captcha.State;

/// <summary>What Redis keeps about an issued challenge until it is answered or expires.</summary>
/// <param name="SiteKey">The site the challenge was issued for.</param>
/// <param name="X">The secret: the notch's left edge as a fraction of the image width.</param>
/// <param name="IssuedAtMs">Server time of issue (Unix milliseconds), to measure solving time.</param>
/// <param name="Hostname">The embedding page's hostname, reported by siteverify.</param>
/// <param name="Action">The optional action name the site gave the widget.</param>
/// <param name="ClientIp">Who asked (the address group), so failures are counted against the right client.</param>
/// <param name="Cdata">The site's own data given with the challenge, signed into the pass token.</param>
internal sealed record ChallengeRecord(string SiteKey, double X, long IssuedAtMs, string Hostname, string? Action, string ClientIp, string? Cdata = null);
