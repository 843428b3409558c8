namespace RedisRing.Captcha.Tokens;

/// <summary>What a signed value is; part of what is signed, so a challenge id never passes as a pass token.</summary>
internal enum TokenKind
{
    Challenge,
    Pass,
}
