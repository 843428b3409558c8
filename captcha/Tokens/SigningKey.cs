namespace RedisRing.Captcha.Tokens;

/// <summary>One HMAC-SHA256 key; its id travels in every token it signs, so a verifier knows which key to use.</summary>
internal sealed record SigningKey(string Id, byte[] Secret);
