using RedisRing.Membership;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>
/// A cluster of its own in the shared ZooKeeper (created by the same code as
/// <c>redisring-registrar create-cluster</c>), an operator client holding the cluster credential,
/// and the patched servers, stock servers and registrars a test starts (all stopped on dispose):
/// <see cref="ZooKeeperRingCluster"/> plus what patched servers need.
/// </summary>
internal sealed class PatchCluster : IAsyncDisposable
{
    public const string ClusterAuth = ZooKeeperRingCluster.ClusterAuth;
    public const string ProxyAuth = ZooKeeperRingCluster.ProxyAuth;

    private readonly ZooKeeperRingCluster _cluster;
    private readonly ITestOutputHelper _output;

    private PatchCluster(ZooKeeperServer server, ITestOutputHelper output, ZooKeeperRingCluster cluster)
    {
        Server = server;
        _output = output;
        _cluster = cluster;
    }

    public ZooKeeperServer Server { get; }

    public ClusterLayout Layout => _cluster.Layout;

    /// <summary>Authenticated with the cluster credential.</summary>
    public ZooKeeperClient Admin => _cluster.Admin;

    public static DigestCredential Cluster => ZooKeeperRingCluster.ClusterCredential;

    public static DigestCredential Proxy => ZooKeeperRingCluster.ProxyCredential;

    /// <summary>Creates the cluster; <paramref name="initialPorts"/> (127.0.0.1:port) are its initial members (<c>up</c>, empty runId).</summary>
    public static async Task<PatchCluster> CreateAsync(ZooKeeperServer server, ITestOutputHelper output, params int[] initialPorts) =>
        new(server, output, await ZooKeeperRingCluster.CreateAsync(server, output, initialPorts.Select(AddressOf).ToArray()));

    public static Task<ZooKeeperClient> ConnectAsync(ZooKeeperServer server, DigestCredential? credential) =>
        ZooKeeperRingCluster.ConnectAsync(server, credential);

    /// <summary>The directives that register a patched server in this cluster, plus any extra ones.</summary>
    public string[] Directives(params string[] extra) =>
        ["--zookeeper-connect", Server.Endpoint, "--zookeeper-cluster", Layout.Cluster, "--zookeeper-auth", ClusterAuth, .. extra];

    public async Task<PatchedRedisServer> StartPatchedAsync(int? port = null, params string[] extraDirectives)
    {
        return _cluster.Own(await PatchedRedisServer.StartAsync(_output, Directives(extraDirectives), port));
    }

    /// <summary>A patched server started with exactly these arguments (no directive added).</summary>
    public async Task<PatchedRedisServer> StartPatchedWithAsync(int? port = null, params string[] arguments)
    {
        return _cluster.Own(await PatchedRedisServer.StartAsync(_output, arguments, port));
    }

    /// <summary>Sets the registration directives at run time (one CONFIG SET), as an operator could.</summary>
    public async Task RegisterAtRunTimeAsync(PatchedRedisServer redis)
    {
        // One CONFIG SET for all of them: applied together, as one change.
        string[] command = ["CONFIG", "SET", .. Directives().Select(d => d.StartsWith("--", StringComparison.Ordinal) ? d[2..] : d)];
        Assert.Equal("+OK", (await redis.CommandAsync(command)).TrimEnd());
    }

    /// <summary>A stock redis-server announced by a registrar sidecar.</summary>
    public async Task<RedisServer> StartRegistrarManagedAsync()
    {
        var redis = await _cluster.StartRedisAsync();
        _cluster.StartRegistrar(redis);
        return redis;
    }

    public static NodeAddress AddressOf(int port) => new("127.0.0.1", port);

    /// <summary>The node's member record (null when there is none); it must parse as the registrar's format.</summary>
    public Task<NodeRecord?> ReadNodeAsync(int port) => _cluster.ReadNodeAsync(AddressOf(port));

    /// <summary>Polls the node's member record until <paramref name="condition"/> holds; returns how long it took.</summary>
    public Task<TimeSpan> WaitForNodeAsync(int port, Func<NodeRecord?, bool> condition, string what, TimeSpan? timeout = null) =>
        _cluster.WaitForNodeAsync(AddressOf(port), condition, what, timeout);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
