using System.Collections.Frozen;
using RedisRing.Ring;
using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Every proxy setting, once: the config file, the environment, the command line and the usage
/// text are all read from this table, in this order (the docs' order). Entries are grouped in
/// partial files by concern; docs/configuration.md documents each one (a test checks both ways).
/// </summary>
internal static partial class ProxyOptionTable
{
    public const string ReplicasName = "replicas";
    public const string HashTagName = "hashTag";

    public static IReadOnlyList<ProxyOptionDefinition> All { get; } = [.. Placement(), .. Timeouts(), .. Limits(), .. PubSub(), .. ZooKeeper(), .. Repair(), .. Tls(), .. Admin()];

    public static FrozenDictionary<string, ProxyOptionDefinition> ByName { get; } = All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    public static FrozenDictionary<string, ProxyOptionDefinition> ByFlag { get; } = All.ToFrozenDictionary(d => d.Flag, StringComparer.Ordinal);

    /// <summary>Where clients connect, which backends, how keys are placed, who may do what.</summary>
    private static ProxyOptionDefinition[] Placement() =>
    [
        new()
        {
            Name = "listen", Flag = "--listen", Type = Text, ValueName = "HOST:PORT", Default = "127.0.0.1:6380",
            // Port 0 turns the plain listener off, as Redis's "port 0" (for a TLS-only proxy).
            Help = "address to accept clients on; port 0 = no plain listener (with --tls-port)",
            Set = static (o, v) => o with { Listen = ProxyOptionParsers.EndPoint(v.Text, allowPortZero: true) },
        },
        new()
        {
            // Nodes given on the command line replace the file's list as a whole.
            Name = "nodes", Flag = "--node", Type = TextList, Repeatable = true, ValueName = "HOST:PORT[:WEIGHT][ NAME]",
            Help = "a backend Redis node; repeat for each node",
            Set = static (o, v) => o with { Nodes = v.Items.Select(NodeEndpoint.Parse).ToArray() },
        },
        new()
        {
            Name = ReplicasName, Flag = "--replicas", Type = Integer, ValueName = "N", Default = "2",
            Help = $"copies of every key, {RingOptions.ReplicasRule}",
            Check = static n => RingOptions.CheckReplicas(n),
            Set = static (o, v) => o with { Replicas = v.Int32 },
        },
        new()
        {
            Name = HashTagName, Flag = "--hash-tag", Type = Text, ValueName = "XY | none", Default = "{}",
            Help = "hash tag delimiters",
            Set = static (o, v) => o with { HashTag = ProxyOptionParsers.HashTag(v.Text) },
        },
        new()
        {
            Name = "password", Flag = "--password", Type = Text, ValueName = "PASS", EnvironmentVariable = "REDISRING_PASSWORD", Secret = true,
            Help = "require AUTH from clients",
            Set = static (o, v) => o with { Password = v.Text },
        },
        new()
        {
            // Repeatable on the command line; each item is one user in ACL SETUSER syntax (proxy/Acl).
            // Not a Secret: it holds password hashes, never passwords, and its errors repeat neither.
            Name = "users", Flag = "--user", Type = TextList, Repeatable = true, ValueName = "\"NAME on #SHA256 ~KEYS +@CATEGORY...\"",
            Help = "a client user with its password hash, commands and key patterns; repeat for each user",
            Set = static (o, v) => o with { Users = ProxyOptionParsers.Users(v.Items) },
        },
        new()
        {
            Name = "backendPassword", Flag = "--backend-password", Type = Text, ValueName = "PASS", EnvironmentVariable = "REDISRING_BACKEND_PASSWORD", Secret = true,
            Help = "AUTH sent to backends",
            Set = static (o, v) => o with { BackendPassword = v.Text },
        },
        new()
        {
            Name = "allowAdminCommands", Flag = "--allow-admin", Type = TextList, ValueName = "CMD[,CMD...]",
            Help = "enable administrative commands, e.g. FLUSHALL,CONFIG|SET",
            Set = static (o, v) => o with { AllowAdminCommands = ProxyOptionParsers.AdminCommands(v.Items) },
        },
        new()
        {
            // "auto" is resolved from --listen when read, whatever the order of the settings.
            Name = "stateFile", Flag = "--state-file", Type = Text, ValueName = "PATH | auto | none", Default = "auto", EnvironmentVariable = "REDISRING_STATE_FILE",
            Help = "static node list: where the run_id and repair verdict of each node survive a restart",
            Set = static (o, v) => o with { StateFileSetting = v.Text },
        },
    ];
}
