namespace RedisRing.Captcha.Tokens;

/// <summary>The outcome of checking a signed value; <see cref="TokenStatus.Valid"/> is the only good one.</summary>
internal readonly record struct TokenCheck(TokenStatus Status, TokenClaims? Claims)
{
    public bool IsValid => Status == TokenStatus.Valid;
}
