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

    /// <summary>Parent of the nodes' ephemeral znodes.</summary>
    public string Nodes => Root + "/nodes";

    /// <summary>Parent of the proxies' ephemeral znodes.</summary>
    public string Proxies => Root + "/proxies";

    /// <summary>Parent of the creation step's one-use markers, one per initial node.</summary>
    public string Bootstrap => Root + "/bootstrap";

    public string Node(NodeAddress address) => Nodes + "/" + address;

    public string Proxy(string hostPort) => Proxies + "/" + hostPort;

    public string BootstrapMarker(NodeAddress address) => Bootstrap + "/" + address;

    public static bool IsValidClusterName(string? name) =>
        name is { Length: > 0 and <= 64 } && name != "." && name != ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
