using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.RingSources;

/// <summary>The ring of a static <c>--node</c> list: built once at start, every node a full member.</summary>
internal sealed class StaticRingSource : IRingSource
{
    private StaticRingSource()
    {
    }

    public bool IsStatic => true;

    /// <summary>Builds the table of the configured nodes, installs it and starts connecting to them.</summary>
    /// <exception cref="ArgumentException">The node list makes no valid ring.</exception>
    public static StaticRingSource Start(ProxyOptions options, CurrentRoutingTable routing, BackendNodeFactory backends)
    {
        var hashRing = HashRing.Create(
            options.Nodes.Select(n => RingNode.FromEndpoint(n.Host, n.Port, n.Weight, n.Name)).ToList(),
            new RingOptions { Replicas = options.Replicas, HashTag = options.HashTag });
        var nodes = options.Nodes.Select(n => backends.Create(n)).ToList();
        routing.Install(RoutingTable.Static(hashRing, nodes, backends.Time), added: nodes, removed: [], TimeSpan.Zero);
        return new StaticRingSource();
    }

    public void WriteInfo(Action<string, object> line) => line("ring_source", "static");
}
