using System.CommandLine;
using RedisRing.Membership;

namespace RedisRing.Ringctl.Cli;

/// <summary>
/// The options every command takes (where ZooKeeper is, which cluster, the credential, how long to
/// wait for ZooKeeper, JSON output). Secrets and defaults from the environment are read when the
/// command runs, never as option defaults, so help output never shows them.
/// </summary>
internal sealed class GlobalOptions
{
    public const string ZooKeeperEnvironment = "REDISRING_ZOOKEEPER";
    public const string ClusterEnvironment = "REDISRING_CLUSTER";
    public const string AuthEnvironment = "REDISRING_ZK_AUTH";
    public const string RedisPasswordEnvironment = "REDISRING_REDIS_PASSWORD";

    public Option<string?> ZooKeeper { get; } = new("--zookeeper")
    {
        Description = $"ZooKeeper connect string, host:port[,host:port...] (or {ZooKeeperEnvironment})",
        Recursive = true,
    };

    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = $"the cluster's name (or {ClusterEnvironment})",
        Recursive = true,
    };

    public Option<string?> Auth { get; } = new("--zk-auth")
    {
        Description = $"the cluster credential user:password (better: {AuthEnvironment}, kept out of the process list)",
        Recursive = true,
    };

    public Option<int> ConnectTimeout { get; } = NodeArguments.Range(new Option<int>("--connect-timeout-s")
    {
        Description = "how long to wait for a ZooKeeper session before giving up (exit 3)",
        DefaultValueFactory = _ => 5,
        Recursive = true,
    }, 1, 600);

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print one JSON document for scripts instead of tables",
        Recursive = true,
    };

    public Option<string?> RedisPassword { get; } = new("--redis-password")
    {
        Description = $"password of the redis-servers, for commands that read them (or {RedisPasswordEnvironment})",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(ZooKeeper);
        root.Options.Add(Cluster);
        root.Options.Add(Auth);
        root.Options.Add(ConnectTimeout);
        root.Options.Add(Json);
        root.Options.Add(RedisPassword);
    }

    /// <summary>The target of a command: options first, then the environment; a usage error when one is missing or malformed.</summary>
    public Target Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var zooKeeper = parse.GetValue(ZooKeeper) ?? Env(environment, ZooKeeperEnvironment)
            ?? throw Usage($"--zookeeper (or {ZooKeeperEnvironment}) is required");
        var cluster = parse.GetValue(Cluster) ?? Env(environment, ClusterEnvironment)
            ?? throw Usage($"--cluster (or {ClusterEnvironment}) is required");
        if (!ClusterLayout.IsValidClusterName(cluster))
        {
            throw Usage("--cluster must be 1-64 letters, digits, '-', '_', '.'");
        }

        var credential = Credential(parse.GetValue(Auth) ?? Env(environment, AuthEnvironment), "--zk-auth", AuthEnvironment);
        return new Target(zooKeeper, new ClusterLayout(cluster), credential, TimeSpan.FromSeconds(parse.GetValue(ConnectTimeout)),
            parse.GetValue(RedisPassword) ?? Env(environment, RedisPasswordEnvironment));
    }

    public static DigestCredential Credential(string? text, string option, string environmentVariable)
    {
        if (text is null)
        {
            throw Usage($"{option} (or {environmentVariable}) is required");
        }

        try
        {
            return DigestCredential.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Usage($"{option} (or {environmentVariable}) must be user:password");
        }
    }

    public static string? Env(Func<string, string?> environment, string name) => environment(name) is { Length: > 0 } value ? value : null;

    public static RingctlException Usage(string message) => new(ExitCodes.Usage, message);
}
