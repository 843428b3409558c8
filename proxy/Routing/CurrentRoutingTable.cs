using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Routing;

/// <summary>
/// The routing table in service. Ring sources install a new table with one reference write;
/// readers take no lock and keep the table they read for the whole request.
/// </summary>
internal sealed class CurrentRoutingTable(RoutingTable initial) : IReadableCopyFinder
{
    private RoutingTable _table = initial;

    public RoutingTable Value => Volatile.Read(ref _table);

    /// <summary>
    /// Puts <paramref name="next"/> in service, starts connecting to the backends it added, and
    /// retires the ones that left once requests on the old table had <paramref name="retireGrace"/>
    /// to finish (a request still waiting then fails over to its next copy).
    /// </summary>
    public void Install(RoutingTable next, IEnumerable<BackendNode> added, IEnumerable<BackendNode> removed, TimeSpan retireGrace)
    {
        Volatile.Write(ref _table, next);
        foreach (var node in added)
        {
            node.StartRecovery();
        }

        foreach (var node in removed)
        {
            node.Retire(retireGrace);
        }
    }

    public BackendNode? FindReadableCopy(ReadOnlySpan<byte> key, BackendNode except)
    {
        var table = Value;
        foreach (var index in table.Locate(key).Reads)
        {
            var node = table.Backends[index];
            if (node != except && node.IsReadable)
            {
                return node;
            }
        }

        return null;
    }
}
