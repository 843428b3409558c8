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
public sealed class ZooKeeperRingCluster : IAsyncDisposable
{
    public const string ClusterAuth = "registrar:cluster-secret";
    public const string ProxyAuth = "proxy:proxy-secret";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ITestOutputHelper? _output;

    private ZooKeeperRingCluster(string zooKeeper, ITestOutputHelper? output, ZooKeeperClient admin, ClusterLayout layout)
    {
        ZooKeeper = zooKeeper;
        _output = output;
        Admin = admin;
        Layout = layout;
    }

    /// <summary>The ZooKeeper connect string.</summary>
    public string ZooKeeper { get; }

    public ClusterLayout Layout { get; }

    /// <summary>A client authenticated with the cluster credential (what operators and registrars hold).</summary>
    public ZooKeeperClient Admin { get; }

    public static DigestCredential ClusterCredential { get; } = DigestCredential.Parse(ClusterAuth);

    public static DigestCredential ProxyCredential { get; } = DigestCredential.Parse(ProxyAuth);

    /// <summary>Creates the cluster (replicas 2, hash tag {}) naming <paramref name="initialNodes"/> as its initial nodes.</summary>
    /// <param name="adminSessionTimeout">Session timeout of <see cref="Admin"/> (default 10 s).</param>
    public static async Task<ZooKeeperRingCluster> CreateAsync(string zooKeeper, ITestOutputHelper? output, IReadOnlyList<NodeAddress> initialNodes, int replicas = 2,
        TimeSpan? adminSessionTimeout = null)
    {
        var admin = await ConnectAsync(zooKeeper, ClusterCredential, adminSessionTimeout ?? TimeSpan.FromSeconds(10));
        var layout = new ClusterLayout("p-" + Guid.NewGuid().ToString("N")[..10]);
        await ClusterAdmin.CreateClusterAsync(admin, layout, new ClusterAcls(ClusterCredential, ProxyCredential), new RingConfig(replicas, "{}"), initialNodes);
        return new ZooKeeperRingCluster(zooKeeper, output, admin, layout);
    }

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
    /// named as initial nodes so they enter <c>up</c>; returns once all are registered.
    /// </summary>
    public static async Task<(ZooKeeperRingCluster Cluster, RedisServer[] Redis)> StartBootstrappedAsync(string zooKeeper, ITestOutputHelper? output, int count)
    {
        // Ports first, so the cluster can name its initial nodes before they register.
        var redis = new RedisServer[count];
        for (var i = 0; i < count; i++)
        {
            redis[i] = await RedisServer.StartAsync(output);
        }

        var cluster = await CreateAsync(zooKeeper, output, redis.Select(AddressOf).ToList());
        foreach (var server in redis)
        {
            cluster.Own(server);
            cluster.StartRegistrar(server);
        }

        foreach (var server in redis)
        {
            await cluster.WaitForNodeAsync(AddressOf(server), n => n?.State == NodeState.Up, "bootstrap registration");
        }

        return (cluster, redis);
    }

    public static NodeAddress AddressOf(RedisServer redis) => new("127.0.0.1", redis.Port);

    /// <summary>Takes ownership of a process started elsewhere (stopped on dispose).</summary>
    public T Own<T>(T process)
        where T : IAsyncDisposable
    {
        _owned.Add(process);
        return process;
    }

    public async Task<RedisServer> StartRedisAsync(int? port = null) => Own(await RedisServer.StartAsync(_output, port));

    public RegistrarProcess StartRegistrar(RedisServer redis, params string[] extraArguments) =>
        Own(RegistrarProcess.Start(_output, redis.Endpoint,
            ["--zookeeper", ZooKeeper, "--cluster", Layout.Cluster, "--session-timeout-ms", "2000", .. extraArguments], ClusterAuth));

    /// <summary>Starts a proxy that takes its ring from this cluster.</summary>
    public async Task<ProxyProcess> StartProxyAsync(params string[] extraArguments) =>
        Own(await ProxyProcess.StartAsync(_output, ["--zookeeper", ZooKeeper, "--cluster", Layout.Cluster, "--command-timeout-ms", "500", .. extraArguments],
            environment: new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = ProxyAuth }));

    /// <summary>Promotes a joining node to up (the operator command).</summary>
    public Task PromoteAsync(NodeAddress address) => ClusterAdmin.PromoteAsync(Admin, Layout, address);

    /// <summary>The node's znode data (null when there is none); it must parse as the registrar's format.</summary>
    public async Task<NodeRecord?> ReadNodeAsync(NodeAddress address)
    {
        try
        {
            var (data, _) = await Admin.GetDataAsync(Layout.Node(address));
            Assert.True(NodeRecord.TryParse(address.ToString(), data, out var record, out var error), error);
            return record;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>Polls the node's znode until <paramref name="condition"/> holds; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForNodeAsync(NodeAddress address, Func<NodeRecord?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
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

    /// <summary>
    /// The proxy's view of the ring from INFO ring: each node's address and membership state,
    /// or null when the proxy did not answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> RingOfAsync(ProxyProcess proxy)
    {
        string info;
        try
        {
            info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return null;
        }

        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split("\r\n"))
        {
            if (!line.StartsWith("node", StringComparison.Ordinal) || !line.Contains("address=", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',')
                .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            nodes[fields["address"]] = fields["membership"];
        }

        return nodes;
    }

    /// <summary>Polls the proxy's INFO until its ring satisfies <paramref name="condition"/>; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForRingAsync(ProxyProcess proxy, Func<IReadOnlyDictionary<string, string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        IReadOnlyDictionary<string, string>? last = null;
        while (watch.Elapsed < limit)
        {
            last = await RingOfAsync(proxy);
            if (last is not null && condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"proxy {proxy.Endpoint}: {what} did not happen within {limit}; ring: {(last is null ? "no answer" : string.Join(", ", last.Select(p => p.Key + "=" + p.Value)))}");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await Admin.DisposeAsync();
    }
}
