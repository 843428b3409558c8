using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>
/// A cluster of its own in the shared ZooKeeper, an operator client holding the cluster
/// credential, and the registrars and redis-servers a test starts (all stopped on dispose).
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string ClusterAuth = "registrar:cluster-secret";
    public const string ProxyAuth = "proxy:proxy-secret";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ITestOutputHelper _output;

    private TestCluster(ZooKeeperServer server, ITestOutputHelper output, ZooKeeperClient admin)
    {
        Server = server;
        _output = output;
        Admin = admin;
        Layout = new ClusterLayout("c-" + Guid.NewGuid().ToString("N")[..10]);
    }

    public ZooKeeperServer Server { get; }

    public ClusterLayout Layout { get; }

    /// <summary>Authenticated with the cluster credential.</summary>
    public ZooKeeperClient Admin { get; }

    public static DigestCredential Cluster { get; } = DigestCredential.Parse(ClusterAuth);

    public static DigestCredential Proxy { get; } = DigestCredential.Parse(ProxyAuth);

    public static async Task<TestCluster> CreateAsync(ZooKeeperServer server, ITestOutputHelper output, params NodeAddress[] initialNodes)
    {
        var admin = await ConnectAsync(server, Cluster);
        var cluster = new TestCluster(server, output, admin);
        await ClusterAdmin.CreateClusterAsync(admin, cluster.Layout, new ClusterAcls(Cluster, Proxy), new RingConfig(2, "{}"), initialNodes);
        return cluster;
    }

    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperServer server, DigestCredential? credential)
    {
        var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.Endpoint, SessionTimeout = TimeSpan.FromSeconds(4) });
        if (credential is not null)
        {
            await credential.AuthenticateAsync(client);
        }

        return client;
    }

    public async Task<RedisServer> StartRedisAsync()
    {
        var redis = await RedisServer.StartAsync(_output);
        _owned.Add(redis);
        return redis;
    }

    public RegistrarProcess StartRegistrar(RedisServer redis, params string[] extraArguments)
    {
        var registrar = RegistrarProcess.Start(_output, redis.Endpoint,
            ["--zookeeper", Server.Endpoint, "--cluster", Layout.Cluster, "--session-timeout-ms", "2000", .. extraArguments], ClusterAuth);
        _owned.Add(registrar);
        return registrar;
    }

    public static NodeAddress AddressOf(RedisServer redis) => new("127.0.0.1", redis.Port);

    /// <summary>The node's znode data (null when there is none).</summary>
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
        var limit = timeout ?? TimeSpan.FromSeconds(20);
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

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await Admin.DisposeAsync();
    }
}
