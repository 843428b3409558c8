using RedisRing.Ringctl.Output;
using RedisRing.ZooKeeper;

namespace RedisRing.Ringctl.Cluster;

/// <summary>
/// After a member change, says which proxies will apply it: the ones announced under
/// <c>proxies/</c>. A proxy that is not listed (not started, or cut off from ZooKeeper) applies it
/// only when it reads the cluster again, which the operator should know before relying on it.
/// </summary>
internal static class ProxyReport
{
    /// <summary>Prints the report (a warning on standard error when no proxy is announced); returns the proxies, null when they could not be listed.</summary>
    public static async Task<List<string>?> WriteAsync(ClusterSession session, CommandOutput output, CancellationToken cancellationToken)
    {
        List<string> proxies;
        try
        {
            proxies = await session.ReadProxiesAsync(cancellationToken);
        }
        catch (ZooKeeperException e)
        {
            output.Warning($"cannot list the proxies ({e.Code}); check that every proxy sees the change");
            return null;
        }

        if (proxies.Count == 0)
        {
            output.Warning($"no proxy is announced under {session.Layout.Proxies}; proxies that are running but not announced apply the change only once they reach ZooKeeper");
        }
        else
        {
            output.Line($"{proxies.Count} proxies announced (they apply it within their debounce): {string.Join(", ", proxies)}; a proxy missing from this list has not seen it");
        }

        return proxies;
    }
}
