using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.ZooKeeper;
using Xunit;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A RedisRing cluster with its membership in a real ZooKeeper: a cluster of its own (unique
/// name) created with both credentials, and the redis-servers, registrars and proxies (in
/// ZooKeeper mode) a test starts, all stopped on dispose. Credentials reach the processes through
/// the environment only.
/// </summary>
public sealed class ZooKeeperRingCluster : RingCluster
{
    public const string ClusterAuth = "registrar:cluster-secret";
    public const string ProxyAuth = "proxy:proxy-secret";

    /// <summary>
    /// The session timeout of the operator clients of <see cref="CreateAsync(ZooKeeperServer, ITestOutputHelper?, NodeAddress[])"/>
    /// and <see cref="ConnectAsync(ZooKeeperServer, DigestCredential?)"/>.
    /// </summary>
    public static readonly TimeSpan OperatorSessionTimeout = TimeSpan.FromSeconds(4);

    private readonly TimeSpan _nodeWaitTimeout;

    private ZooKeeperRingCluster(string zooKeeper, ITestOutputHelper? output, ZooKeeperClient admin, ClusterLayout layout, TimeSpan nodeWaitTimeout)
        : base(output)
    {
        ZooKeeper = zooKeeper;
        Admin = admin;
        Layout = layout;
        _nodeWaitTimeout = nodeWaitTimeout;
    }

    /// <summary>The ZooKeeper connect string.</summary>
    public string ZooKeeper { get; }

    public ClusterLayout Layout { get; }

    /// <summary>A client authenticated with the cluster credential (what operators and registrars hold).</summary>
    public ZooKeeperClient Admin { get; }

    public static DigestCredential ClusterCredential { get; } = DigestCredential.Parse(ClusterAuth);

    public static DigestCredential ProxyCredential { get; } = DigestCredential.Parse(ProxyAuth);

    /// <summary>Creates the cluster (replicas 2, hash tag {}, the given down grace) naming <paramref name="initialNodes"/> as its initial nodes.</summary>
    /// <param name="adminSessionTimeout">Session timeout of <see cref="Admin"/> (default 10 s).</param>
    /// <param name="nodeWaitTimeout">How long <see cref="WaitForNodeAsync"/> waits unless told (default 30 s).</param>
    public static async Task<ZooKeeperRingCluster> CreateAsync(string zooKeeper, ITestOutputHelper? output, IReadOnlyList<NodeAddress> initialNodes, int replicas = 2,
        TimeSpan? adminSessionTimeout = null, TimeSpan? nodeWaitTimeout = null, int downGraceSeconds = RingConfig.DefaultDownGraceSeconds)
    {
        var admin = await ConnectAsync(zooKeeper, ClusterCredential, adminSessionTimeout ?? TimeSpan.FromSeconds(10));
        var layout = new ClusterLayout("p-" + Guid.NewGuid().ToString("N")[..10]);
        await ClusterAdmin.CreateClusterAsync(admin, layout, new ClusterAcls(ClusterCredential, ProxyCredential), new RingConfig(replicas, "{}", downGraceSeconds), initialNodes);
        return new ZooKeeperRingCluster(zooKeeper, output, admin, layout, nodeWaitTimeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Creates the cluster in <paramref name="server"/> as the registrar, membership and patched
    /// server tests do: <see cref="Admin"/> with the <see cref="OperatorSessionTimeout"/>, node waits of 20 s.
    /// </summary>
    public static Task<ZooKeeperRingCluster> CreateAsync(ZooKeeperServer server, ITestOutputHelper? output, params NodeAddress[] initialNodes) =>
        CreateAsync(server.Endpoint, output, initialNodes, adminSessionTimeout: OperatorSessionTimeout, nodeWaitTimeout: TimeSpan.FromSeconds(20));

    /// <summary>A client of <paramref name="server"/> authenticated with <paramref name="credential"/> (none: anonymous), with the <see cref="OperatorSessionTimeout"/>.</summary>
    public static Task<ZooKeeperClient> ConnectAsync(ZooKeeperServer server, DigestCredential? credential) =>
        ConnectAsync(server.Endpoint, credential, OperatorSessionTimeout);

    /// <summary>A ZooKeeper client authenticated with <paramref name="credential"/> (none: anonymous).</summary>
    public static async Task<ZooKeeperClient> ConnectAsync(string zooKeeper, DigestCredential? credential, TimeSpan sessionTimeout)
    {
        var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper, SessionTimeout = sessionTimeout });
        if (credential is not null)
        {
            await credential.AuthenticateAsync(client);
        }

        return client;
    }

    /// <summary>
    /// A brand-new cluster of <paramref name="count"/> redis-servers, each with its registrar,
    /// named as initial nodes so they stay <c>up</c>; returns once all have registered (their
    /// members carry a run_id) and are live.
    /// </summary>
    public static async Task<(ZooKeeperRingCluster Cluster, RedisServer[] Redis)> StartBootstrappedAsync(string zooKeeper, ITestOutputHelper? output, int count,
        int downGraceSeconds = RingConfig.DefaultDownGraceSeconds, string[]? registrarArguments = null)
    {
        // Ports first, so the cluster can name its initial nodes before they register.
        var ports = Enumerable.Range(0, count).Select(_ => LoopbackPorts.GetFree()).ToArray();
        var redis = new RedisServer[count];
        var cluster = await CreateAsync(zooKeeper, output, ports.Select(p => new NodeAddress("127.0.0.1", p)).ToList(), downGraceSeconds: downGraceSeconds);
        await ServerProcess.StartOrDisposeAsync(cluster, async c =>
        {
            for (var i = 0; i < count; i++)
            {
                redis[i] = await c.StartRedisAsync(ports[i]);
            }

            foreach (var server in redis)
            {
                c.StartRegistrar(server, registrarArguments ?? []);
            }

            foreach (var server in redis)
            {
                await c.WaitForNodeAsync(AddressOf(server), n => n is { State: NodeState.Up, RunId.Length: > 0 }, "first registration of an initial node");
                await c.WaitForLiveAsync(AddressOf(server), l => l is not null, "liveness");
            }
        });
        return (cluster, redis);
    }

    public static NodeAddress AddressOf(RedisServer redis) => new("127.0.0.1", redis.Port);

    public RegistrarProcess StartRegistrar(RedisServer redis, params string[] extraArguments) =>
        Own(RegistrarProcess.Start(Output, redis.Endpoint,
            ["--zookeeper", ZooKeeper, "--cluster", Layout.Cluster, "--session-timeout-ms", "2000", .. extraArguments], ClusterAuth));

    /// <summary>Starts a proxy that takes its ring from this cluster.</summary>
    public async Task<ProxyProcess> StartProxyAsync(params string[] extraArguments) =>
        Own(await ProxyProcess.StartAsync(Output, ["--zookeeper", ZooKeeper, "--cluster", Layout.Cluster, "--liveness-timeout-ms", "500", .. extraArguments],
            environment: new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = ProxyAuth }));

    /// <summary>Runs <c>redisring-registrar check</c> on this cluster (the operator's copy checker) and writes what it printed to the test output.</summary>
    public async Task<(int ExitCode, string Output)> CheckCopiesAsync()
    {
        var result = await RegistrarProcess.RunCommandAsync(["check", "--zookeeper", ZooKeeper, "--cluster", Layout.Cluster],
            new Dictionary<string, string> { ["REDISRING_ZK_AUTH"] = ClusterAuth });
        Output?.WriteLine(result.Output);
        return result;
    }

    /// <summary>Promotes a joining node to up (the operator command).</summary>
    public Task PromoteAsync(NodeAddress address) => ClusterAdmin.PromoteAsync(Admin, Layout, address);

    /// <summary>The node's member record (null when there is none); it must parse as the registrar's format.</summary>
    public async Task<NodeRecord?> ReadNodeAsync(NodeAddress address)
    {
        try
        {
            var (data, _) = await ReadAsync(Layout.Node(address));
            Assert.True(NodeRecord.TryParse(address.ToString(), data, out var record, out var error), error);
            return record;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads with <see cref="Admin"/>, riding out what a test may do to ZooKeeper (a pause that
    /// expires the operator's session, a restart): a new session, then the read again.
    /// </summary>
    public async Task<DataResult> ReadAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await Admin.GetDataAsync(path);
            }
            catch (Exception e) when (attempt < 50 && e is SessionExpiredException or ConnectionLossException)
            {
                if (Admin.State == ZooKeeperState.Expired)
                {
                    await Admin.RenewSessionAsync();
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>The node's liveness znode data (null when there is none); it must parse.</summary>
    public async Task<LivenessRecord?> ReadLivenessAsync(NodeAddress address)
    {
        try
        {
            var (data, _) = await ReadAsync(Layout.Liveness(address));
            Assert.True(LivenessRecord.TryParse(address.ToString(), data, out var record, out var error), error);
            return record;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>Polls the node's liveness znode until <paramref name="condition"/> holds; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForLiveAsync(NodeAddress address, Func<LivenessRecord?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? _nodeWaitTimeout;
        LivenessRecord? last = null;
        while (watch.Elapsed < limit)
        {
            last = await ReadLivenessAsync(address);
            if (condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{address}: {what} did not happen within {limit}; last seen: {(last is null ? "no liveness znode" : last.ToString())}");
    }

    /// <summary>Polls the node's member znode until <paramref name="condition"/> holds; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForNodeAsync(NodeAddress address, Func<NodeRecord?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? _nodeWaitTimeout;
        NodeRecord? last = null;
        while (watch.Elapsed < limit)
        {
            last = await ReadNodeAsync(address);
            if (condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{address}: {what} did not happen within {limit}; last seen: {(last is null ? "no znode" : last.ToString())}");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Admin.DisposeAsync();
    }
}
