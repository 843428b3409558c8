namespace RedisRing.Captcha.State;

/// <summary>
/// Every Redis key the service uses. Keys that one script touches together share a hash tag, so
/// the proxy routes the script to the one node (and replicas) that own them all.
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

    public static string Idempotency(string siteKey, string keyHash) => "rrc:idem:" + siteKey + ":" + keyHash;

    /// <summary>
    /// A rate-limit counter of one site (the site's own, or one of its clients'). The site key is
    /// the hash tag, so all of a site's counters live on one node and one script reads and bumps
    /// the ones a challenge needs.
    /// </summary>
    public static string Counter(string siteKey, string kind, string? client, long window) =>
        "rrc:rl:{" + siteKey + "}:" + kind + ":" + (client is null ? string.Empty : client + ":") + window.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The health check's key: one per process (its own hash tag, so the check reaches the node
    /// that owns it through the proxy, like any challenge), overwritten by every check.
    /// </summary>
    public static string Health(string processTag) => "rrc:hz:{" + processTag + "}";

    private static string Tagged(string prefix, string id) =>
        id.Length > TagLength ? prefix + "{" + id[..TagLength] + "}" + id[TagLength..] : prefix + id;
}
