using System.Net;
using RedisRing.Resp;

namespace RedisRing.Proxy.Configuration;

/// <summary>The proxy's whole configuration after the file and the command line are merged.</summary>
internal sealed record ProxyOptions
{
    /// <summary>Where plain clients connect; port 0: no plain listener (TLS only, <see cref="Tls"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 6380);

    /// <summary>TLS for clients (its own port) and to the nodes; off by default.</summary>
    public TlsOptions Tls { get; init; } = new();

    /// <summary>The admin HTTP port (proxy/Admin); off by default.</summary>
    public AdminOptions Admin { get; init; } = new();

    /// <summary>The port that names this proxy (state file, INFO, announce): the plain one, or the TLS one when plain is off.</summary>
    public int ServicePort => Listen.Port != 0 ? Listen.Port : Tls.Port;

    public IReadOnlyList<NodeEndpoint> Nodes { get; init; } = [];

    /// <summary>Take the node list from ZooKeeper instead of <see cref="Nodes"/>; null: static list.</summary>
    public ZooKeeperOptions? ZooKeeper { get; init; }

    /// <summary>Copies of every key (primary + successors), R, by the ring's rule (RingOptions.CheckReplicas).</summary>
    public int Replicas { get; init; } = 2;

    /// <summary>Two characters delimiting the hashed part of a key, or empty for none.</summary>
    public string HashTag { get; init; } = "{}";

    /// <summary>Clients must AUTH with this password when set. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>Users beside the default one (<c>--user</c>), in ACL SETUSER syntax, parsed.</summary>
    public IReadOnlyList<Acl.AclUser> Users { get; init; } = [];

    /// <summary>Password the proxy sends to every backend with AUTH. Never logged.</summary>
    public string? BackendPassword { get; init; }

    /// <summary>Administrative commands (FLUSHALL, CONFIG SET, ...) allowed through the proxy.</summary>
    public IReadOnlySet<string> AllowAdminCommands { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The <c>--state-file</c> setting as given: a path, <c>auto</c> or <c>none</c>.</summary>
    public string StateFileSetting { get; init; } = "auto";

    /// <summary>
    /// With a static node list, the file where the proxy keeps what it knows about each node's
    /// data across restarts; <c>auto</c> is <c>$XDG_STATE_HOME/redisring/proxy-PORT.json</c>
    /// (<c>~/.local/state</c> without XDG_STATE_HOME), one per listen port; null for <c>none</c>.
    /// </summary>
    public string? StateFile => StateFileSetting switch
    {
        "none" => null,
        "auto" => Path.Combine(
            Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state ? state : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"),
            "redisring", $"proxy-{ServicePort}.json"),
        var path => path,
    };

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// How often a blocked client (BLPOP, XREAD BLOCK ...) looks again for data without a
    /// wake-up: writes through other proxies or straight to the nodes end its wait no later than this.
    /// </summary>
    public TimeSpan BlockingPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A command unanswered this long fails alone (the client gets an error, a write copy is
    /// repaired later); the connection stays. Generous: a slow command is not a dead node.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMilliseconds(30_000);

    /// <summary>
    /// A node that sends nothing while owing replies, and does not answer PING on a probe
    /// connection, for this long is marked down (its reads move to other copies at once).
    /// </summary>
    public TimeSpan LivenessTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// The liveness timeout while the node's oldest unanswered command is a script, a function or
    /// another command that may hold Redis (Redis answers PING with BUSY only after its
    /// busy-reply-threshold, 5 s by default).
    /// </summary>
    public TimeSpan LongCommandLivenessTimeout { get; init; } = TimeSpan.FromMilliseconds(6000);

    /// <summary>
    /// How long a write sent before a change (a ring change, the start of warm-up tracking, a
    /// suspected divergence) may still be in flight on a live node: twice the liveness timeout.
    /// </summary>
    public TimeSpan SettleTime => LivenessTimeout * 2;

    /// <summary>Idle clients are disconnected after this long; zero disables the check.</summary>
    public TimeSpan ClientIdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// With a <see cref="Password"/>, a client not authenticated this long after it connected is
    /// disconnected, whatever it sends meanwhile; zero disables the check.
    /// </summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxClients { get; init; } = 10_000;

    /// <summary>Most commands waiting for replies on one backend connection.</summary>
    public int MaxPendingPerBackend { get; init; } = 100_000;

    /// <summary>Most requests of one client read ahead of their replies.</summary>
    public int MaxPipelinePerClient { get; init; } = 1024;

    /// <summary>
    /// Reply bytes the proxy may hold for one client, completed and not yet handed to its socket,
    /// before the client is closed (Redis: client-output-buffer-limit normal, hard); zero for none.
    /// </summary>
    public long ClientOutputHardLimit { get; init; } = 512L * 1024 * 1024;

    /// <summary>The same bytes may stay over this for <see cref="ClientOutputSoftTime"/> only; zero for none.</summary>
    public long ClientOutputSoftLimit { get; init; } = 128L * 1024 * 1024;

    public TimeSpan ClientOutputSoftTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Message bytes the proxy may hold for one subscriber, queued and not yet taken by its socket,
    /// before the client is closed (Redis: client-output-buffer-limit pubsub, hard); zero for none.
    /// </summary>
    public long PubSubOutputHardLimit { get; init; } = 32L * 1024 * 1024;

    /// <summary>The same bytes may stay over this for <see cref="PubSubOutputSoftTime"/> only; zero for none.</summary>
    public long PubSubOutputSoftLimit { get; init; } = 8L * 1024 * 1024;

    public TimeSpan PubSubOutputSoftTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keys remembered per node for hinted handoff before the node needs a full repair.</summary>
    public int MaxHintedKeysPerNode { get; init; } = 100_000;

    public RespLimits Limits { get; init; } = RespLimits.Default;

    /// <summary>Most arguments in one request of a client that has not authenticated (Redis: 10).</summary>
    public int MaxUnauthenticatedArrayLength { get; init; } = 10;

    /// <summary>Largest argument of a client that has not authenticated, in bytes (Redis: 16384).</summary>
    public long MaxUnauthenticatedBulkLength { get; init; } = 16 * 1024;

    /// <summary>
    /// The request limits of a client that has not authenticated while the proxy has a password:
    /// the two above (never more than <see cref="Limits"/>), and an inline line no longer than the
    /// largest argument, so that a stranger cannot make the proxy buffer much before it has
    /// proved it knows the password. Made anew on each read: keep it (the proxy's context does).
    /// </summary>
    public RespLimits UnauthenticatedLimits => Limits with
    {
        MaxArrayLength = Math.Min(Limits.MaxArrayLength, MaxUnauthenticatedArrayLength),
        MaxBulkLength = Math.Min(Limits.MaxBulkLength, MaxUnauthenticatedBulkLength),
        MaxInlineLength = (int)Math.Min(Limits.MaxInlineLength, MaxUnauthenticatedBulkLength),
        BeforeAuth = true,
    };

    /// <summary>Whether this proxy may lead warm-ups, and whether it promotes what it warmed up.</summary>
    public RepairMode Repair { get; init; } = RepairMode.Auto;

    /// <summary>Most keys a warm-up copies per second.</summary>
    public int RepairKeysPerSecond { get; init; } = 20_000;

    /// <summary>How often the repairer runs an anti-entropy pass (zero: never).</summary>
    public TimeSpan AntiEntropyInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the ring must stay unchanged before copies no longer owned are deleted.</summary>
    public TimeSpan TrimGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keys written to one node during its warm-up that this proxy remembers (past it, the warm-up starts again).</summary>
    public int MaxWarmUpTrackedKeys { get; init; } = 1_000_000;

    /// <summary>
    /// The names (as in the config file) of the settings the user gave in the file, the
    /// environment or on the command line; every other setting has its default.
    /// </summary>
    public IReadOnlySet<string> ExplicitSettings { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The user chose <see cref="Replicas"/>; in ZooKeeper mode the cluster's config znode wins
    /// over it, which the user may want to be told about.
    /// </summary>
    public bool ReplicasSetExplicitly => ExplicitSettings.Contains(ProxyOptionTable.ReplicasName);

    /// <summary>The user chose <see cref="HashTag"/> (see <see cref="ReplicasSetExplicitly"/>).</summary>
    public bool HashTagSetExplicitly => ExplicitSettings.Contains(ProxyOptionTable.HashTagName);
}
