using RedisRing.Membership;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// After a member change, says which proxies will apply it: the ones announced under
/// <c>proxies/</c>. A proxy that is not listed (not started, or cut off from ZooKeeper) applies it
/// only when it reads the cluster again, which the operator should know before relying on it.
/// </summary>
internal static class ProxyList
{
    public static async Task ReportAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> proxies;
        try
        {
            proxies = (await client.GetChildrenAsync(layout.Proxies, cancellationToken: cancellationToken)).Children;
        }
        catch (ZooKeeperException e)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: warning: cannot list the proxies ({e.Code}); check that every proxy sees the change");
            return;
        }

        if (proxies.Count == 0)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: warning: no proxy is announced under {layout.Proxies}; proxies that are running but not announced apply the change only once they reach ZooKeeper");
            return;
        }

        await Console.Out.WriteLineAsync($"{proxies.Count} proxies announced (they apply it within their debounce): {string.Join(", ", proxies.Order(StringComparer.Ordinal))}; a proxy missing from this list has not seen it");
    }
}
