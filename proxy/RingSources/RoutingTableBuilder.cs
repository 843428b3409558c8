using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// Turns a membership snapshot into the proxy's next <see cref="RoutingTable"/>: the read ring of
/// <c>up</c> nodes and the write ring of every registered node in one table
/// (<see cref="HashRing.Create(IReadOnlyList{RingNode}, IReadOnlyList{bool}, RingOptions)"/>),
/// the <see cref="BackendNode"/> kept for every address that stays (its connection, state and
/// hints go on), new ones for new addresses, and the ones whose node left. Builds only: the
/// caller installs the change.
/// </summary>
internal sealed class RoutingTableBuilder(ProxyOptions options, BackendNodeFactory backends)
{
    /// <summary>The change from <paramref name="current"/> to the table for <paramref name="snapshot"/>; null when nothing changed.</summary>
    /// <exception cref="ArgumentException">The snapshot's nodes make no valid ring; the current table stays.</exception>
    public RoutingTableChange? Build(MembershipSnapshot snapshot, RoutingTable current)
    {
        var ringOptions = new RingOptions
        {
            Replicas = snapshot.Config?.Replicas ?? options.Replicas,
            HashTag = snapshot.Config?.HashTag ?? options.HashTag,
        };
        var records = snapshot.Nodes;
        var ringNodes = records.Select(r => RingNode.FromEndpoint(r.Address.Host, r.Address.Port, r.Weight)).ToList();
        var states = records.Select(r => r.State).ToList();
        if (SameRing(current, ringNodes, states, ringOptions))
        {
            return null;
        }

        var hashRing = HashRing.Create(ringNodes, states.Select(s => s == NodeState.Up).ToList(), ringOptions);
        var existing = current.Backends.Where(n => !n.IsRetired).ToDictionary(n => n.Endpoint.Address, StringComparer.Ordinal);
        var nodes = new List<BackendNode>(records.Count);
        var added = new List<BackendNode>();
        foreach (var record in records)
        {
            var address = record.Address.ToString();
            if (!existing.Remove(address, out var node))
            {
                node = backends.Create(new NodeEndpoint(record.Address.Host, record.Address.Port, record.Weight, null));
                added.Add(node);
            }

            nodes.Add(node);
        }

        // Whatever is left in `existing` was in the old table only.
        return new RoutingTableChange(new RoutingTable(hashRing, nodes, current.Version + 1, states, backends.Time), added, [.. existing.Values]);
    }

    private static bool SameRing(RoutingTable current, List<RingNode> nodes, List<NodeState> states, RingOptions options) =>
        current.Options.Replicas == options.Replicas
        && current.Options.HashTag == options.HashTag
        && current.HashRing.Nodes.SequenceEqual(nodes)
        && current.NodeStates.SequenceEqual(states);
}
