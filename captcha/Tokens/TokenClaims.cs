using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tokens;

/// <summary>What a challenge id or a pass token says, all of it covered by the signature.</summary>
/// <param name="Kind">Challenge id or pass token.</param>
/// <param name="SiteKey">The site it was issued for.</param>
/// <param name="Id">The random id: the Redis record's key (a challenge's, or a pass's).</param>
/// <param name="ExpiresAt">Unix seconds after which it is refused, whatever Redis says.</param>
/// <param name="IssuedAtMs">Unix milliseconds: when the challenge was issued, or the pass earned.</param>
/// <param name="Hostname">The embedding page's hostname.</param>
/// <param name="Action">The site's action label, if any.</param>
/// <param name="Client">The client's address group it was issued to (see <c>ClientAddressGrouping</c>).</param>
/// <param name="Cdata">The site's own data given with the challenge, if any.</param>
/// <param name="Input">A pass's input kind (what siteverify reports with its score); null for a challenge.</param>
internal sealed record TokenClaims(
    TokenKind Kind,
    string SiteKey,
    string Id,
    long ExpiresAt,
    long IssuedAtMs,
    string Hostname,
    string? Action,
    string Client,
    string? Cdata,
    InputKind? Input = null);
