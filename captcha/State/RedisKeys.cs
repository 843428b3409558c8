namespace RedisRing.Captcha.State;

/// <summary>
/// Every Redis key the service uses. Each command touches one key only, so the proxy can route
/// it to the node (and replicas) that own that key.
/// </summary>
internal static class RedisKeys
{
    public static string Challenge(string challengeId) => "rrc:ch:" + challengeId;

    /// <summary>Pass tokens are keyed by site as well, so one site's secret can never consume another site's token.</summary>
    public static string Pass(string siteKey, string tokenId) => "rrc:tk:" + siteKey + ":" + tokenId;

    public static string Idempotency(string siteKey, string keyHash) => "rrc:idem:" + siteKey + ":" + keyHash;

    /// <summary>
    /// A rate-limit counter. The scope is a hash tag, so one client's per-minute and failure
    /// counters live on the same node and one script can read and bump both.
    /// </summary>
    public static string Counter(string kind, string scope, long window) => "rrc:rl:{" + scope + "}:" + kind + ":" + window.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
