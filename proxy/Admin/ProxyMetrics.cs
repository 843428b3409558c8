using System.Globalization;
using Prometheus;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// The proxy's Prometheus metrics (docs/metrics.md), in a registry of their own. The data path
/// only observes the two latency histograms (lock-free bucket counters of prometheus-net, no
/// allocation) and counts calls per command; everything else is read at scrape time from the
/// counters the proxy keeps anyway (<see cref="ProxyStats"/>, each <see cref="BackendNode"/>,
/// the routing table, the ring source's INFO lines) by a before-collect callback.
/// </summary>
internal sealed class ProxyMetrics
{
    // 50 µs to about 6.5 s, doubling: loopback round trips land in the first buckets, a node that
    // stalls until its timeout in the last ones.
    private static readonly double[] s_latencyBuckets = Histogram.ExponentialBuckets(0.00005, 2, 18);

    private readonly Histogram _requestDuration;
    private readonly Histogram _nodeDuration;
    private readonly Counter _commands;
    private readonly Counter _commandsProcessed;
    private readonly Counter _errors;
    private readonly Counter _nodeErrors;
    private readonly Counter _readFallbacks;
    private readonly Counter _nodeReadFailovers;
    private readonly Counter _nodeStateChanges;
    private readonly Gauge _nodeHintedKeys;
    private readonly Gauge _nodePending;
    private readonly Gauge _nodeState;
    private readonly Gauge _nodeUp;
    private readonly Gauge _nodeReadable;
    private readonly Gauge _nodeInfo;
    private readonly Gauge _ringVersion;
    private readonly Gauge _ringNodes;
    private readonly Gauge _ringReadableNodes;
    private readonly Gauge _ringReplicas;
    private readonly Gauge _ringServiceable;
    private readonly Gauge _connectedClients;
    private readonly Counter _connectionsReceived;
    private readonly Counter _bytesReceived;
    private readonly Counter _bytesSent;
    private readonly Counter _events;
    private readonly Gauge _repairCopied;
    private readonly Gauge _repairEstimated;
    private readonly Gauge _repairKeysPerSecond;
    private readonly Gauge _zooKeeperConnected;
    private readonly Gauge _membershipVersion;
    private readonly Counter _allocatedBytes;
    private readonly Gauge _heapBytes;
    private readonly HashSet<string> _labelledNodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _repairJobs = new(StringComparer.Ordinal);
    // Two scrapes at once would otherwise update the label bookkeeping together.
    private readonly Lock _collecting = new();
    private ProxyContext? _context;
    private MembershipEventLog? _eventLog;

    public ProxyMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        // Process CPU, memory, threads and the GC's collection counts, read at scrape time.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        var latency = new HistogramConfiguration { Buckets = s_latencyBuckets, ExemplarBehavior = ExemplarBehavior.NoExemplars() };
        _requestDuration = factory.CreateHistogram("redisring_proxy_request_duration_seconds",
            "Client requests: from the read of a request's batch to its replies, blocking commands excluded.", latency);
        _nodeDuration = factory.CreateHistogram("redisring_proxy_node_request_duration_seconds",
            "Commands sent to each node: from queuing to the node's reply.", ["node"], latency);
        _commands = factory.CreateCounter("redisring_proxy_commands_total", "Calls per command (subcommands as CONFIG|GET), counted while the admin port is on.", ["command"]);
        _commandsProcessed = factory.CreateCounter("redisring_proxy_commands_processed_total", "Requests read from clients (INFO total_commands_processed).");
        _errors = factory.CreateCounter("redisring_proxy_errors_total", "Errors by kind, summed over the nodes for node errors.", ["kind"]);
        _nodeErrors = factory.CreateCounter("redisring_proxy_node_errors_total", "Errors per node by kind.", ["node", "kind"]);
        _readFallbacks = factory.CreateCounter("redisring_proxy_read_fallbacks_total", "Reads that failed over to the next copy.");
        _nodeReadFailovers = factory.CreateCounter("redisring_proxy_node_read_failovers_total", "Reads that failed on this node and went to the next copy.", ["node"]);
        _nodeStateChanges = factory.CreateCounter("redisring_proxy_node_state_changes_total", "Changes of the node's health (up, down, catching up, needs repair).", ["node"]);
        _nodeHintedKeys = factory.CreateGauge("redisring_proxy_node_hinted_keys", "Keys written while the node was down, to replay when it is back (hints).", ["node"]);
        _nodePending = factory.CreateGauge("redisring_proxy_node_pending_commands", "Commands sent to the node and not answered yet.", ["node"]);
        _nodeState = factory.CreateGauge("redisring_proxy_node_state", "1 for the node's current health state, 0 for the others.", ["node", "state"]);
        _nodeUp = factory.CreateGauge("redisring_proxy_node_up", "1 when this proxy's connection to the node is up.", ["node"]);
        _nodeReadable = factory.CreateGauge("redisring_proxy_node_readable", "1 when the node serves reads (up, and in the read ring).", ["node"]);
        _nodeInfo = factory.CreateGauge("redisring_proxy_node_info", "Always 1: the node's address, weight and membership state as labels.", ["node", "address", "weight", "membership"]);
        _ringVersion = factory.CreateGauge("redisring_proxy_ring_version", "Version of the routing table in service.");
        _ringNodes = factory.CreateGauge("redisring_proxy_ring_nodes", "Nodes in the routing table.");
        _ringReadableNodes = factory.CreateGauge("redisring_proxy_ring_readable_nodes", "Nodes in the read ring.");
        _ringReplicas = factory.CreateGauge("redisring_proxy_ring_replicas", "Copies of every key.");
        _ringServiceable = factory.CreateGauge("redisring_proxy_ring_serviceable", "1 when every replica set has a readable copy (what /healthz answers).");
        _connectedClients = factory.CreateGauge("redisring_proxy_connected_clients", "Client connections open now.");
        _connectionsReceived = factory.CreateCounter("redisring_proxy_connections_received_total", "Client connections accepted.");
        _bytesReceived = factory.CreateCounter("redisring_proxy_received_bytes_total", "Request bytes read from clients.");
        _bytesSent = factory.CreateCounter("redisring_proxy_sent_bytes_total", "Reply bytes written to clients.");
        _events = factory.CreateCounter("redisring_proxy_membership_events_total", "Ring and node state changes seen (the dashboard's event log).");
        _repairCopied = factory.CreateGauge("redisring_proxy_repair_copied_keys", "Keys a warm-up job copied to the joining node so far.", ["node", "phase"]);
        _repairEstimated = factory.CreateGauge("redisring_proxy_repair_estimated_keys", "Keys the warm-up job expects to copy.", ["node", "phase"]);
        _repairKeysPerSecond = factory.CreateGauge("redisring_proxy_repair_keys_per_second", "The warm-up job's copy rate.", ["node", "phase"]);
        // Shown only once set: a static node list has no ZooKeeper session.
        var zooKeeperOnly = new GaugeConfiguration { SuppressInitialValue = true };
        _zooKeeperConnected = factory.CreateGauge("redisring_proxy_zookeeper_connected", "1 when the ZooKeeper session is connected (ZooKeeper mode only).", zooKeeperOnly);
        _membershipVersion = factory.CreateGauge("redisring_proxy_membership_version", "Membership snapshots seen (ZooKeeper mode only).", zooKeeperOnly);
        _allocatedBytes = factory.CreateCounter("redisring_proxy_allocated_bytes_total", "Bytes allocated on the managed heap since the start.");
        _heapBytes = factory.CreateGauge("redisring_proxy_gc_heap_bytes", "Managed heap size after the last collection.");
        Registry.AddBeforeCollectCallback(Collect);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The client latency histogram, for the test that checks observing it allocates nothing.</summary>
    internal Histogram RequestDurationsForTests => _requestDuration;

    /// <summary>Starts measuring: the client latency histogram goes into the proxy's counters, which also turns per-command counts on.</summary>
    public void Attach(ProxyContext context, MembershipEventLog eventLog)
    {
        _context = context;
        _eventLog = eventLog;
        context.Stats.RequestDurations = _requestDuration;
        foreach (var node in context.Routing.Value.Backends)
        {
            AttachNode(node);
        }
    }

    /// <summary>Gives a node its latency histogram (the backend factory calls it for every node it creates).</summary>
    public void AttachNode(BackendNode node) => node.ReplyDurations = _nodeDuration.WithLabels(node.Name);

    private void Collect()
    {
        if (_context is not { } context)
        {
            return;
        }

        lock (_collecting)
        {
            Collect(context);
        }
    }

    private void Collect(ProxyContext context)
    {

        var stats = context.Stats;
        var table = context.Routing.Value;
        _eventLog?.Observe(table, context.RingSource.IsStatic);
        _commandsProcessed.IncTo(stats.CommandsProcessed);
        _connectedClients.Set(stats.ConnectedClients);
        _connectionsReceived.IncTo(stats.ConnectionsReceived);
        _bytesReceived.IncTo(stats.BytesReceived);
        _bytesSent.IncTo(stats.BytesSent);
        _events.IncTo(_eventLog?.Total ?? 0);
        foreach (var command in CommandTable.All.Values)
        {
            if (command.Calls > 0)
            {
                _commands.WithLabels(command.Name.ToLowerInvariant()).IncTo(command.Calls);
            }
        }

        _errors.WithLabels("protocol").IncTo(stats.ProtocolErrors);
        _errors.WithLabels("rejected_connection").IncTo(stats.RejectedConnections);
        _errors.WithLabels("output_buffer_limit").IncTo(stats.OutputBufferLimitDisconnections);
        _errors.WithLabels("command_timeout").IncTo(table.Backends.Sum(n => n.CommandTimeouts));
        _errors.WithLabels("write_copy_failure").IncTo(table.Backends.Sum(n => n.WriteCopyFailures));
        _errors.WithLabels("diverged_copy").IncTo(table.Backends.Sum(n => n.DivergedCopies));
        _readFallbacks.IncTo(table.Backends.Sum(n => n.ReadFailovers));
        CollectRing(table);
        CollectNodes(context, table);
        CollectRingSource(context);
        _allocatedBytes.IncTo(GC.GetTotalAllocatedBytes(precise: false));
        _heapBytes.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    private void CollectRing(RoutingTable table)
    {
        _ringVersion.Set(table.Version);
        _ringNodes.Set(table.Backends.Count);
        _ringReadableNodes.Set(table.ServesReads.Count(r => r));
        _ringReplicas.Set(table.Options.Replicas);
        _ringServiceable.Set(RingHealth.Problem(table) is null ? 1 : 0);
    }

    private void CollectNodes(ProxyContext context, RoutingTable table)
    {
        // A node that left the ring leaves the metrics too: a node of the same name that comes
        // back is a new backend whose counters start again from zero.
        var names = table.Backends.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _labelledNodes.Where(n => !names.Contains(n)).ToList())
        {
            RemoveNode(gone);
        }

        for (var i = 0; i < table.Backends.Count; i++)
        {
            var node = table.Backends[i];
            var name = node.Name;
            _labelledNodes.Add(name);
            _nodeErrors.WithLabels(name, "command_timeout").IncTo(node.CommandTimeouts);
            _nodeErrors.WithLabels(name, "write_copy_failure").IncTo(node.WriteCopyFailures);
            _nodeErrors.WithLabels(name, "diverged_copy").IncTo(node.DivergedCopies);
            _nodeReadFailovers.WithLabels(name).IncTo(node.ReadFailovers);
            _nodeStateChanges.WithLabels(name).IncTo(node.StateChanges);
            _nodeHintedKeys.WithLabels(name).Set(node.Hints.Count);
            _nodePending.WithLabels(name).Set(node.PendingCount);
            _nodeUp.WithLabels(name).Set(node.State == BackendState.Up ? 1 : 0);
            _nodeReadable.WithLabels(name).Set(table.IsReadable(i) ? 1 : 0);
            foreach (var state in NodeStateNames.All)
            {
                _nodeState.WithLabels(name, NodeStateNames.Of(state)).Set(node.State == state ? 1 : 0);
            }

            var membership = context.RingSource.IsStatic ? "static" : table.NodeStates[i].ToJson();
            foreach (var labels in _nodeInfo.GetAllLabelValues().Where(l => l[0] == name).ToList())
            {
                _nodeInfo.RemoveLabelled(labels);
            }

            _nodeInfo.WithLabels(name, node.Endpoint.Address, table.HashRing.Nodes[i].Weight.ToString(CultureInfo.InvariantCulture), membership).Set(1);
        }
    }

    private void RemoveNode(string name)
    {
        _labelledNodes.Remove(name);
        foreach (var labels in _nodeErrors.GetAllLabelValues().Where(l => l[0] == name).ToList())
        {
            _nodeErrors.RemoveLabelled(labels);
        }

        foreach (var labels in _nodeState.GetAllLabelValues().Where(l => l[0] == name).ToList())
        {
            _nodeState.RemoveLabelled(labels);
        }

        foreach (var labels in _nodeInfo.GetAllLabelValues().Where(l => l[0] == name).ToList())
        {
            _nodeInfo.RemoveLabelled(labels);
        }

        _nodeReadFailovers.RemoveLabelled(name);
        _nodeStateChanges.RemoveLabelled(name);
        _nodeHintedKeys.RemoveLabelled(name);
        _nodePending.RemoveLabelled(name);
        _nodeUp.RemoveLabelled(name);
        _nodeReadable.RemoveLabelled(name);
        _nodeDuration.RemoveLabelled(name);
    }

    /// <summary>ZooKeeper mode's figures, from the ring source's INFO lines (a static list has none of them).</summary>
    private void CollectRingSource(ProxyContext context)
    {
        if (context.RingSource.IsStatic)
        {
            return;
        }

        var jobs = new HashSet<string>(StringComparer.Ordinal);
        context.RingSource.WriteInfo((name, value) =>
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            switch (name)
            {
                case "zookeeper_connected":
                    _zooKeeperConnected.Set(text == "1" ? 1 : 0);
                    break;
                case "membership_version" when double.TryParse(text, CultureInfo.InvariantCulture, out var version):
                    _membershipVersion.Set(version);
                    break;
                case var job when job.StartsWith("repair_job:", StringComparison.Ordinal):
                    var fields = RepairJobLine.Parse(text);
                    var node = job["repair_job:".Length..];
                    var phase = fields.GetValueOrDefault("phase", "");
                    jobs.Add(node + "\n" + phase);
                    _repairCopied.WithLabels(node, phase).Set(RepairJobLine.Number(fields, "copied"));
                    _repairEstimated.WithLabels(node, phase).Set(RepairJobLine.Number(fields, "estimated"));
                    _repairKeysPerSecond.WithLabels(node, phase).Set(RepairJobLine.Number(fields, "keys_per_sec"));
                    break;
            }
        });

        foreach (var ended in _repairJobs.Where(j => !jobs.Contains(j)).ToList())
        {
            var parts = ended.Split('\n');
            _repairCopied.RemoveLabelled(parts);
            _repairEstimated.RemoveLabelled(parts);
            _repairKeysPerSecond.RemoveLabelled(parts);
        }

        _repairJobs.Clear();
        _repairJobs.UnionWith(jobs);
    }
}
