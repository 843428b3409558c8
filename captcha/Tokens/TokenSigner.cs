using System.Security.Cryptography;

namespace RedisRing.Captcha.Tokens;

/// <summary>
/// Signs challenge ids and pass tokens with HMAC-SHA256 over everything they say (site key, id,
/// expiry, issue time, hostname, action, client, cdata, kind and key id), and checks them:
/// the key named by the token's key id (current or previous), the MAC compared in constant time,
/// then the expiry. A token that passes was issued by a holder of the key and not altered; that it
/// is used only once is Redis's part.
/// </summary>
internal sealed class TokenSigner(SigningKeys keys, TimeProvider time)
{
    public string Sign(TokenClaims claims)
    {
        var key = keys.Current;
        var size = TokenFormat.MaxPayloadBytes(key.Id, claims);
        Span<byte> payload = size <= 1024 ? stackalloc byte[size] : new byte[size];
        var length = TokenFormat.WritePayload(key.Id, claims, payload);
        Span<byte> mac = stackalloc byte[TokenFormat.MacBytes];
        TokenMac.Compute(key.Secret, claims.SiteKey, payload[..length], mac);
        return TokenFormat.Encode(claims.SiteKey, payload[..length], mac);
    }

    public TokenCheck Verify(string? text, TokenKind expected)
    {
        if (text is null || !TokenFormat.TryDecode(text, out var keyId, out var claims, out var payload, out var mac) || claims.Kind != expected)
        {
            return new TokenCheck(TokenStatus.Malformed, null);
        }

        if (!keys.TryFind(keyId, out var key))
        {
            return new TokenCheck(TokenStatus.UnknownKey, null);
        }

        Span<byte> expectedMac = stackalloc byte[TokenFormat.MacBytes];
        TokenMac.Compute(key.Secret, claims.SiteKey, payload, expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, mac))
        {
            return new TokenCheck(TokenStatus.BadSignature, null);
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= claims.ExpiresAt
            ? new TokenCheck(TokenStatus.Expired, claims)
            : new TokenCheck(TokenStatus.Valid, claims);
    }
}
