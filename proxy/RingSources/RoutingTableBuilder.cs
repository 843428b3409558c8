using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// Turns a membership snapshot into the proxy's next <see cref="RoutingTable"/>: the read ring of
/// <c>up</c> members and the write ring of every member in one table
/// (<see cref="HashRing.Create(IReadOnlyList{RingNode}, IReadOnlyList{bool}, RingOptions)"/>),
/// the <see cref="BackendNode"/> kept for every member that stays (same address and same member
/// znode: its connection, state and hints go on), new ones for new members, and the ones whose
/// member left. While an initial member of a new cluster has not registered, the table is not in
/// service. Builds only: the caller installs the change.
/// </summary>
internal sealed class RoutingTableBuilder(ProxyOptions options, BackendNodeFactory backends, IRepairReporter? repairReporter = null)
{
    /// <summary>The change from <paramref name="current"/> to the table for <paramref name="snapshot"/>; null when nothing changed.</summary>
    /// <exception cref="ArgumentException">The snapshot's members make no valid ring; the current table stays.</exception>
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
        var unavailable = Unavailable(snapshot);
        if (SameRing(current, snapshot, ringNodes, states, ringOptions, unavailable))
        {
            return null;
        }

        var readable = records.Select(r => r.ServesReads()).ToList();
        var hashRing = HashRing.Create(ringNodes, readable, states.Select(s => s.Stays()).ToList(), ringOptions);
        var previousStates = new Dictionary<BackendNode, NodeState>();
        for (var i = 0; i < current.Backends.Count; i++)
        {
            previousStates[current.Backends[i]] = current.NodeStates[i];
        }

        var existing = current.Backends.Where(n => !n.IsRetired).ToDictionary(n => n.Endpoint.Address, StringComparer.Ordinal);
        var nodes = new List<BackendNode>(records.Count);
        var added = new List<BackendNode>();
        foreach (var record in records)
        {
            var address = record.Address.ToString();
            var znode = snapshot.ZnodeOf(record.Address);
            if (!existing.TryGetValue(address, out var node) || node.MemberCreatedZxid != znode.CreatedZxid)
            {
                // A new member, or one deleted and created again (even within one debounce): a
                // new node for this proxy, whose old connection, state and hints do not carry over.
                node = backends.Create(new NodeEndpoint(record.Address.Host, record.Address.Port, record.Weight, null), znode.CreatedZxid);
                node.RepairReporter = repairReporter;
                added.Add(node);
            }
            else
            {
                existing.Remove(address);
            }

            node.ExpectRunId(record.RunId);
            if (record.State == NodeState.Up && previousStates.TryGetValue(node, out var before) && before != NodeState.Up)
            {
                node.AcceptPromotion();
            }

            nodes.Add(node);
        }

        // Whatever is left in `existing` was in the old table only.
        var table = new RoutingTable(hashRing, nodes, current.Version + 1, states, backends.Time, unavailable, readable);
        return new RoutingTableChange(table, added, [.. existing.Values]);
    }

    /// <summary>The error served while a brand-new cluster waits for its initial nodes; null once every member has registered.</summary>
    public static string? Unavailable(MembershipSnapshot snapshot)
    {
        var waiting = snapshot.AwaitingFirstRegistration;
        return waiting.Count == 0
            ? null
            : "CLUSTERDOWN cluster is starting: waiting for the first registration of " + string.Join(", ", waiting.Select(n => n.Address.ToString()));
    }

    private static bool SameRing(RoutingTable current, MembershipSnapshot snapshot, List<RingNode> nodes, List<NodeState> states, RingOptions options, string? unavailable) =>
        current.Options.Replicas == options.Replicas
        && current.Options.HashTag == options.HashTag
        && current.Unavailable == unavailable
        && current.HashRing.Nodes.SequenceEqual(nodes)
        && current.NodeStates.SequenceEqual(states)
        && current.Backends.Zip(snapshot.Nodes).All(p =>
            p.First.ExpectedRunId == (p.Second.RunId.Length == 0 ? null : p.Second.RunId)
            && p.First.MemberCreatedZxid == snapshot.ZnodeOf(p.Second.Address).CreatedZxid);
}
