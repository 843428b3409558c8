using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.RingSources;

/// <summary>A new routing table with the backends it added (to connect) and removed (to retire).</summary>
internal sealed record RoutingTableChange(RoutingTable Next, IReadOnlyList<BackendNode> Added, IReadOnlyList<BackendNode> Removed);
