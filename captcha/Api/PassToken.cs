namespace RedisRing.Captcha.Api;

/// <summary>
/// A pass token is "siteKey.id": the public site key tells siteverify whose secret to check, and
/// the 192-bit random id is the unguessable part. Nothing in it is secret besides the id.
/// </summary>
internal static class PassToken
{
    public static string Format(string siteKey, string tokenId) => siteKey + "." + tokenId;

    public static bool TryParse(string token, out string siteKey, out string tokenId)
    {
        var dot = token.LastIndexOf('.');
        siteKey = dot > 0 ? token[..dot] : string.Empty;
        tokenId = dot > 0 ? token[(dot + 1)..] : string.Empty;
        return Settings.SiteSettingsValidator.IsValidSiteKey(siteKey) && Ids.IsWellFormed(tokenId, Ids.TokenIdBytes);
    }
}
