using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// The recent changes of the ring and of its nodes as this proxy saw them (the dashboard's
/// failover timeline, /api/events): a new ring version, a node added or removed, a node's health
/// or membership state changing. Found by comparing the routing table in service with the last
/// one seen (<see cref="Observe"/>, run by the admin server's timer and before each answer), so
/// the data path does nothing for it. Keeps the last <see cref="Capacity"/> events.
/// </summary>
internal sealed class MembershipEventLog(TimeProvider time)
{
    public const int Capacity = 200;

    private readonly Queue<MembershipEvent> _events = new();
    private readonly Dictionary<string, (BackendState State, string Membership)> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private long _version = -1;
    private long _total;

    /// <summary>Events seen since the proxy started, including those no longer kept.</summary>
    public long Total
    {
        get
        {
            lock (_sync)
            {
                return _total;
            }
        }
    }

    public IReadOnlyList<MembershipEvent> Recent()
    {
        lock (_sync)
        {
            return [.. _events];
        }
    }

    public void Observe(RoutingTable table, bool isStatic)
    {
        lock (_sync)
        {
            var now = time.GetUtcNow();
            if (table.Version != _version)
            {
                if (_version >= 0 || table.Backends.Count > 0)
                {
                    Add(new MembershipEvent(table.CreatedAt, "ring", null, $"ring version {table.Version}: {table.Backends.Count} nodes, {table.ServesReads.Count(r => r)} readable"));
                }

                _version = table.Version;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < table.Backends.Count; i++)
            {
                var node = table.Backends[i];
                seen.Add(node.Name);
                var membership = isStatic ? "static" : table.NodeStates[i].ToJson();
                var current = (node.State, membership);
                if (!_nodes.TryGetValue(node.Name, out var before))
                {
                    var address = node.Endpoint.Address == node.Name ? "" : node.Endpoint.Address + ", ";
                    Add(new MembershipEvent(now, "added", node.Name, $"{address}{membership}, {NodeStateNames.Of(node.State)}"));
                }
                else if (before != current)
                {
                    if (before.State != current.State)
                    {
                        var cause = current.State != BackendState.Up && node.LastError is { } error ? ": " + error : "";
                        Add(new MembershipEvent(node.LastStateChange > DateTimeOffset.MinValue ? node.LastStateChange : now, NodeStateNames.Of(current.State), node.Name,
                            $"{NodeStateNames.Of(before.State)} → {NodeStateNames.Of(current.State)}{cause}"));
                    }

                    if (before.Membership != current.membership)
                    {
                        Add(new MembershipEvent(now, "membership", node.Name, $"{before.Membership} → {current.membership}"));
                    }
                }

                _nodes[node.Name] = current;
            }

            foreach (var gone in _nodes.Keys.Where(n => !seen.Contains(n)).ToList())
            {
                _nodes.Remove(gone);
                Add(new MembershipEvent(now, "removed", gone, "no longer in the ring"));
            }
        }
    }

    private void Add(MembershipEvent entry)
    {
        _events.Enqueue(entry);
        _total++;
        while (_events.Count > Capacity)
        {
            _events.Dequeue();
        }
    }
}

/// <param name="Kind">ring, added, removed, membership, or the node's new health (up, down, catching_up, needs_repair).</param>
internal sealed record MembershipEvent(DateTimeOffset At, string Kind, string? Node, string Detail);
