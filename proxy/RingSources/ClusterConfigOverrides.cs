using RedisRing.Membership;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// The proxy settings that the cluster's <see cref="RingConfig"/> overrides. Every proxy of a
/// cluster must compute the same ring, so the cluster's replicas and hash tag win over the
/// proxy's own; a value the operator set explicitly (flag, environment or config file) and that
/// differs is worth a warning, because the proxy silently does something other than asked.
/// </summary>
internal static class ClusterConfigOverrides
{
    /// <summary>One line per explicitly set proxy value that <paramref name="config"/> replaces; empty when none.</summary>
    public static IReadOnlyList<string> Find(ProxyOptions options, RingConfig? config)
    {
        if (config is null)
        {
            return [];
        }

        var overrides = new List<string>(2);
        if (options.ReplicasSetExplicitly && options.Replicas != config.Replicas)
        {
            overrides.Add($"replicas {options.Replicas} is overridden by the cluster's {config.Replicas}");
        }

        if (options.HashTagSetExplicitly && !string.Equals(options.HashTag, config.HashTag, StringComparison.Ordinal))
        {
            overrides.Add($"hash tag \"{options.HashTag}\" is overridden by the cluster's \"{config.HashTag}\"");
        }

        return overrides;
    }
}
