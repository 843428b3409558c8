using RedisRing.Membership;
using RedisRing.Ring;

namespace RedisRing.Ringctl.Keyspace;

/// <summary>
/// The ring of a set of members exactly as the proxies build it (proxy/RingSources/RoutingTableBuilder):
/// reads on the <c>up</c> and <c>leaving</c> members, writes also on the future ring of the
/// members that stay; node index i is member i.
/// </summary>
internal static class MemberRing
{
    public static HashRing Create(IReadOnlyList<NodeRecord> members, RingConfig config) =>
        HashRing.Create(
            members.Select(m => RingNode.FromEndpoint(m.Address.Host, m.Address.Port, m.Weight)).ToList(),
            members.Select(m => m.ServesReads()).ToList(),
            members.Select(m => m.State.Stays()).ToList(),
            Options(config));

    /// <summary>The settled ring of <paramref name="nodes"/>: every node readable and staying (what the ring is once warm-ups and drains end).</summary>
    public static HashRing Settled(IReadOnlyList<(NodeAddress Address, int Weight)> nodes, RingConfig config) =>
        HashRing.Create(nodes.Select(n => RingNode.FromEndpoint(n.Address.Host, n.Address.Port, n.Weight)).ToList(), Options(config));

    public static RingOptions Options(RingConfig config) => new() { Replicas = config.Replicas, HashTag = config.HashTag };
}
