using RedisRing.Membership;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>
/// A cluster of its own in the shared ZooKeeper, an operator client holding the cluster
/// credential, and the registrars and redis-servers a test starts (all stopped on dispose):
/// the registrar tests' view of <see cref="ZooKeeperRingCluster"/>.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string ClusterAuth = ZooKeeperRingCluster.ClusterAuth;
    public const string ProxyAuth = ZooKeeperRingCluster.ProxyAuth;

    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(4);

    private readonly ZooKeeperRingCluster _cluster;

    private TestCluster(ZooKeeperServer server, ZooKeeperRingCluster cluster)
    {
        Server = server;
        _cluster = cluster;
    }

    public ZooKeeperServer Server { get; }

    public ClusterLayout Layout => _cluster.Layout;

    /// <summary>Authenticated with the cluster credential.</summary>
    public ZooKeeperClient Admin => _cluster.Admin;

    public static DigestCredential Cluster => ZooKeeperRingCluster.ClusterCredential;

    public static DigestCredential Proxy => ZooKeeperRingCluster.ProxyCredential;

    public static async Task<TestCluster> CreateAsync(ZooKeeperServer server, ITestOutputHelper output, params NodeAddress[] initialNodes) =>
        new(server, await ZooKeeperRingCluster.CreateAsync(server.Endpoint, output, initialNodes, adminSessionTimeout: SessionTimeout));

    public static Task<ZooKeeperClient> ConnectAsync(ZooKeeperServer server, DigestCredential? credential) =>
        ZooKeeperRingCluster.ConnectAsync(server.Endpoint, credential, SessionTimeout);

    public Task<RedisServer> StartRedisAsync() => _cluster.StartRedisAsync();

    public RegistrarProcess StartRegistrar(RedisServer redis, params string[] extraArguments) => _cluster.StartRegistrar(redis, extraArguments);

    public static NodeAddress AddressOf(RedisServer redis) => ZooKeeperRingCluster.AddressOf(redis);

    /// <summary>The node's znode data (null when there is none).</summary>
    public Task<NodeRecord?> ReadNodeAsync(NodeAddress address) => _cluster.ReadNodeAsync(address);

    /// <summary>Polls the node's znode until <paramref name="condition"/> holds; returns how long it took.</summary>
    public Task<TimeSpan> WaitForNodeAsync(NodeAddress address, Func<NodeRecord?, bool> condition, string what, TimeSpan? timeout = null) =>
        _cluster.WaitForNodeAsync(address, condition, what, timeout ?? TimeSpan.FromSeconds(20));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
