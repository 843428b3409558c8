using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// Whether the ring is serviceable (/healthz): it is in service, has nodes, and every replica set
/// has a copy that may serve reads now. Otherwise some keys can be neither read nor written
/// safely, and the first reason says which.
/// </summary>
internal static class RingHealth
{
    /// <returns>Null when serviceable; otherwise why not.</returns>
    public static string? Problem(RoutingTable table)
    {
        if (table.Unavailable is { } unavailable)
        {
            return "ring not in service: " + unavailable;
        }

        if (table.Backends.Count == 0)
        {
            return "ring has no nodes";
        }

        foreach (var set in table.ReplicaSets)
        {
            var readable = false;
            foreach (var copy in set.Reads)
            {
                readable |= table.IsReadable(copy);
            }

            if (!readable)
            {
                var names = string.Join(", ", set.Reads.Select(i => $"{table.Backends[i].Name} ({NodeStateNames.Of(table.Backends[i].State)})"));
                return $"replica set {set.Id} has no readable copy: {names}";
            }
        }

        return null;
    }
}
