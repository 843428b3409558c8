namespace RedisRing.Captcha.State;

/// <summary>What Redis keeps about a pass token until the site redeems it or it expires.</summary>
internal sealed record PassRecord(string SiteKey, long SolvedAtMs, string Hostname, string? Action);
