using StackExchange.Redis;

namespace RedisRing.Captcha.State;

/// <summary>
/// Which Redis failures mean "the store is unavailable" (a 503, or fail-open for sites that
/// chose it) rather than a bug of ours (a 500).
/// </summary>
internal static class StoreErrors
{
    /// <summary>
    /// Error replies that say the data is out of reach for now, not that the command was wrong:
    /// the proxy answers CLUSTERDOWN while none of a key's nodes is up, and a Redis node
    /// answers LOADING, BUSY (a long script), MASTERDOWN, TRYAGAIN or TIMEOUT while it cannot serve.
    /// </summary>
    private static readonly string[] UnavailablePrefixes = ["CLUSTERDOWN", "LOADING", "TIMEOUT", "BUSY", "MASTERDOWN", "TRYAGAIN"];

    public static bool MeansUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or ObjectDisposedException => true,
        RedisServerException server => IsUnavailableReply(server.Message),
        _ => false,
    };

    /// <summary>Whether an error reply's text starts with one of the "unavailable" codes (as a whole word).</summary>
    public static bool IsUnavailableReply(string message)
    {
        foreach (var prefix in UnavailablePrefixes)
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal) && (message.Length == prefix.Length || message[prefix.Length] == ' '))
            {
                return true;
            }
        }

        return false;
    }
}
