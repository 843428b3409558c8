using System.Globalization;
using System.Text.Json.Nodes;
using RedisRing.Membership;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// /api/ring: the routing table in service as JSON (docs/metrics.md): version, options, health,
/// each node (address, weight, membership and health state, counters, latency totals, keys and
/// memory, its share of the circle), the arcs of the circle, the replica sets, the ring source's
/// INFO lines and the repair jobs. The same figures as INFO's ring section.
/// </summary>
internal sealed class RingDescription(ProxyContext context, NodeInfoReader nodeInfo)
{
    // One reference, so that concurrent requests read a consistent pair.
    private Tuple<RoutingTable, RingArcs>? _arcs;

    public async Task<JsonObject> DescribeAsync()
    {
        var table = context.Routing.Value;
        var arcs = ArcsOf(table);
        nodeInfo.Keep(table.Backends);
        var figures = await Task.WhenAll(table.Backends.Select(nodeInfo.ReadAsync));
        var nodes = new JsonArray();
        for (var i = 0; i < table.Backends.Count; i++)
        {
            var node = table.Backends[i];
            var durations = node.ReplyDurations;
            nodes.Add(new JsonObject
            {
                ["index"] = i,
                ["name"] = node.Name,
                ["address"] = node.Endpoint.Address,
                ["weight"] = table.HashRing.Nodes[i].Weight,
                ["membership"] = context.RingSource.IsStatic ? "static" : table.NodeStates[i].ToJson(),
                ["state"] = NodeStateNames.Of(node.State),
                ["readable"] = table.IsReadable(i),
                ["ownership"] = Math.Round(arcs.Ownership[i], 5),
                ["runId"] = node.RunId,
                ["pending"] = node.PendingCount,
                ["hintedKeys"] = node.Hints.Count,
                ["requests"] = durations?.Count ?? 0,
                ["requestSeconds"] = durations?.Sum ?? 0,
                ["readFailovers"] = node.ReadFailovers,
                ["writeCopyFailures"] = node.WriteCopyFailures,
                ["commandTimeouts"] = node.CommandTimeouts,
                ["divergedCopies"] = node.DivergedCopies,
                ["errors"] = node.ReadFailovers + node.WriteCopyFailures + node.CommandTimeouts + node.DivergedCopies,
                ["stateChanges"] = node.StateChanges,
                ["lastStateChange"] = node.LastStateChange.ToUnixTimeMilliseconds(),
                ["lastError"] = node.LastError,
                ["keys"] = figures[i].Keys,
                ["usedMemory"] = figures[i].UsedMemory,
            });
        }

        var info = new JsonObject();
        var repairs = new JsonArray();
        context.RingSource.WriteInfo((name, value) =>
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            if (name.StartsWith("repair_job:", StringComparison.Ordinal))
            {
                var job = new JsonObject { ["node"] = name["repair_job:".Length..] };
                foreach (var (field, fieldValue) in RepairJobLine.Parse(text))
                {
                    job[field] = fieldValue;
                }

                repairs.Add(job);
            }
            else
            {
                info[name] = text;
            }
        });

        var problem = RingHealth.Problem(table);
        return new JsonObject
        {
            ["version"] = table.Version,
            ["changedAt"] = table.CreatedAt.ToUnixTimeMilliseconds(),
            ["replicas"] = table.Options.Replicas,
            ["hashTag"] = string.IsNullOrEmpty(table.Options.HashTag) ? null : table.Options.HashTag,
            ["source"] = context.RingSource.IsStatic ? "static" : "zookeeper",
            ["serviceable"] = problem is null,
            ["problem"] = problem,
            ["readableNodes"] = table.ServesReads.Count(r => r),
            ["nodes"] = nodes,
            ["arcs"] = new JsonArray([.. arcs.Arcs.Select(a => (JsonNode)new JsonObject
            {
                ["start"] = a.Start,
                ["end"] = a.End,
                ["node"] = a.Node,
                ["replicaSet"] = a.ReplicaSet,
            })]),
            ["replicaSets"] = new JsonArray([.. table.ReplicaSets.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["reads"] = new JsonArray([.. s.Reads.Select(r => (JsonNode)r)]),
                ["writes"] = new JsonArray([.. s.Writes.Select(w => (JsonNode)w)]),
                ["readable"] = s.Reads.Any(table.IsReadable),
            })]),
            ["repairJobs"] = repairs,
            ["sourceInfo"] = info,
        };
    }

    /// <summary>The arcs of a table, computed once per table (65536 lookups).</summary>
    private RingArcs ArcsOf(RoutingTable table)
    {
        if (Volatile.Read(ref _arcs) is { } cached && ReferenceEquals(cached.Item1, table))
        {
            return cached.Item2;
        }

        var arcs = RingArcs.Of(table.HashRing);
        Volatile.Write(ref _arcs, Tuple.Create(table, arcs));
        return arcs;
    }
}
