namespace RedisRing.Captcha.Api;

/// <summary>The body of every error response: a stable machine code and a sentence for people.</summary>
internal sealed record ApiError(string Error, string Message);
