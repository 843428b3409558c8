using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Proxy.Server;
using RedisRing.Ring;

namespace RedisRing.Proxy.Membership;

/// <summary>
/// Turns a membership snapshot into the proxy's next <see cref="RingState"/> and swaps it in:
/// the read ring of <c>up</c> nodes and the write ring of every registered node in one table
/// (<see cref="HashRing.Create(IReadOnlyList{RingNode}, IReadOnlyList{bool}, RingOptions)"/>),
/// a <see cref="BackendNode"/> kept for every address that stays (its connection, state and
/// hints go on), new ones for new addresses, and nodes that left retired once requests on the
/// old snapshot had time to finish.
/// </summary>
internal sealed class RingSnapshotBuilder(ProxyContext context)
{
    private readonly ILogger _nodeLogger = context.LoggerFactory.CreateLogger("RedisRing.Proxy.Backends");

    /// <summary>Builds and swaps in the ring for <paramref name="snapshot"/>; null when nothing changed.</summary>
    /// <exception cref="ArgumentException">The snapshot's nodes make no valid ring; the current ring stays.</exception>
    public RingState? Build(MembershipSnapshot snapshot, RingState current)
    {
        var options = context.Options;
        var ringOptions = new RingOptions
        {
            Replicas = snapshot.Config?.Replicas ?? options.Replicas,
            HashTag = snapshot.Config?.HashTag ?? options.HashTag,
        };
        var records = snapshot.Nodes;
        var ringNodes = records.Select(r => RingNode.FromEndpoint(r.Address.Host, r.Address.Port, r.Weight)).ToList();
        var readable = records.Select(r => r.State == NodeState.Up).ToList();
        var states = records.Select(r => r.State switch
        {
            NodeState.Up => MembershipState.Up,
            NodeState.Leaving => MembershipState.Leaving,
            _ => MembershipState.Joining,
        }).ToList();
        if (SameRing(current, ringNodes, states, ringOptions))
        {
            return null;
        }

        var ring = HashRing.Create(ringNodes, readable, ringOptions);
        var existing = current.Nodes.Where(n => !n.IsRetired).ToDictionary(n => n.Endpoint.Address, StringComparer.Ordinal);
        var nodes = new List<BackendNode>(records.Count);
        var added = new List<BackendNode>();
        foreach (var record in records)
        {
            var address = record.Address.ToString();
            if (!existing.Remove(address, out var node))
            {
                node = new BackendNode(new NodeEndpoint(record.Address.Host, record.Address.Port, record.Weight, null), options, _nodeLogger)
                {
                    RingAccessor = () => context.Ring,
                };
                added.Add(node);
            }

            nodes.Add(node);
        }

        var next = new RingState(ring, nodes, current.Version + 1, states);
        context.SwapRing(next);
        foreach (var node in added)
        {
            node.StartRecovery();
        }

        // Whatever is left was in the old ring only. Requests that started on the old snapshot
        // may still be waiting on these nodes: give them the command timeout twice over.
        foreach (var gone in existing.Values)
        {
            gone.Retire(options.CommandTimeout * 2);
        }

        return next;
    }

    private static bool SameRing(RingState current, List<RingNode> nodes, List<MembershipState> states, RingOptions options) =>
        current.Ring.Options.Replicas == options.Replicas
        && current.Ring.Options.HashTag == options.HashTag
        && current.Ring.Nodes.SequenceEqual(nodes)
        && current.Membership.SequenceEqual(states);
}
