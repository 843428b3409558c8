namespace RedisRing.Captcha.Api;

/// <summary>Body of <c>GET /healthz</c>.</summary>
internal sealed record HealthResponse(string Status, string Redis, int Sites);
