namespace RedisRing.Membership;

/// <summary>The znode paths of one cluster (docs/zookeeper.md, "Layout").</summary>
public sealed class ClusterLayout
{
    public const string RootPath = "/redisring";

    public ClusterLayout(string cluster)
    {
        if (!IsValidClusterName(cluster))
        {
            throw new ArgumentException($"Cluster name '{cluster}' must be 1-64 characters among letters, digits, '-', '_', '.' (not '.' or '..').", nameof(cluster));
        }

        Cluster = cluster;
        Root = RootPath + "/" + cluster;
    }

    public string Cluster { get; }

    /// <summary><c>/redisring/&lt;cluster&gt;</c>, persistent.</summary>
    public string Root { get; }

    /// <summary>Ring parameters as JSON, persistent.</summary>
    public string Config => Root + "/config";

    /// <summary>Parent of the member records: one persistent znode per node in the ring (placement, state, identity).</summary>
    public string Nodes => Root + "/nodes";

    /// <summary>Parent of the liveness znodes: one ephemeral znode per node whose registrar finds Redis healthy.</summary>
    public string Live => Root + "/live";

    /// <summary>Parent of the proxies' ephemeral znodes.</summary>
    public string Proxies => Root + "/proxies";

    /// <summary>Parent of the repair state (docs/zookeeper.md, "Repair"): <c>leader/</c>, <c>jobs/</c>, <c>acks/</c>.</summary>
    public string Repair => Root + "/repair";

    /// <summary>The repairers' leader election: one ephemeral sequential znode per candidate proxy.</summary>
    public string RepairLeader => Repair + "/leader";

    /// <summary>Parent of the warm-up jobs: one persistent znode per joining node being filled.</summary>
    public string RepairJobs => Repair + "/jobs";

    /// <summary>Parent of the proxies' acknowledgements: one ephemeral znode per proxy.</summary>
    public string RepairAcks => Repair + "/acks";

    public string RepairJob(NodeAddress address) => RepairJobs + "/" + address;

    public string RepairAck(string proxyHostPort) => RepairAcks + "/" + proxyHostPort;

    public string Node(NodeAddress address) => Nodes + "/" + address;

    public string Liveness(NodeAddress address) => Live + "/" + address;

    public string Proxy(string hostPort) => Proxies + "/" + hostPort;

    public static bool IsValidClusterName(string? name) =>
        name is { Length: > 0 and <= 64 } && name != "." && name != ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
