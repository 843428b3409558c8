namespace RedisRing.Captcha.State;

/// <summary>
/// Every Redis key the service uses. Each command touches one key only, so the proxy can route
/// it to the node (and replicas) that own that key.
/// </summary>
internal static class RedisKeys
{
    /// <summary>
    /// Characters of a challenge id that are its hash tag. A pass token id starts with the same
    /// characters (<see cref="TokenIds"/>), so the challenge and the pass it earns live on the same
    /// node and one script can take the one and write the other.
    /// </summary>
    public const int TagLength = 8;

    public static string Challenge(string challengeId) => Tagged("rrc:ch:", challengeId);

    /// <summary>
    /// A pass, by token id alone: it is written while answering, before the challenge's site is
    /// known. The site is in the stored value, and taking a pass checks it in the same script, so
    /// one site's secret can never consume another site's token.
    /// </summary>
    public static string Pass(string tokenId) => Tagged("rrc:tk:", tokenId);

    private static string Tagged(string prefix, string id) =>
        id.Length > TagLength ? prefix + "{" + id[..TagLength] + "}" + id[TagLength..] : prefix + id;

    public static string Idempotency(string siteKey, string keyHash) => "rrc:idem:" + siteKey + ":" + keyHash;

    /// <summary>
    /// A rate-limit counter. The scope is a hash tag, so one client's per-minute and failure
    /// counters live on the same node and one script can read and bump both.
    /// </summary>
    public static string Counter(string kind, string scope, long window) => "rrc:rl:{" + scope + "}:" + kind + ":" + window.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
