using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>
/// A cluster of its own in the shared ZooKeeper (created by the same code as
/// <c>redisring-registrar create-cluster</c>), an operator client holding the cluster credential,
/// and the patched servers, stock servers and registrars a test starts (all stopped on dispose).
/// </summary>
internal sealed class PatchCluster : IAsyncDisposable
{
    public const string ClusterAuth = "registrar:cluster-secret";
    public const string ProxyAuth = "proxy:proxy-secret";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ITestOutputHelper _output;

    private PatchCluster(ZooKeeperServer server, ITestOutputHelper output, ZooKeeperClient admin)
    {
        Server = server;
        _output = output;
        Admin = admin;
        Layout = new ClusterLayout("p-" + Guid.NewGuid().ToString("N")[..10]);
    }

    public ZooKeeperServer Server { get; }

    public ClusterLayout Layout { get; }

    /// <summary>Authenticated with the cluster credential.</summary>
    public ZooKeeperClient Admin { get; }

    public static DigestCredential Cluster { get; } = DigestCredential.Parse(ClusterAuth);

    public static DigestCredential Proxy { get; } = DigestCredential.Parse(ProxyAuth);

    /// <summary>Creates the cluster; <paramref name="initialPorts"/> get bootstrap markers (127.0.0.1:port).</summary>
    public static async Task<PatchCluster> CreateAsync(ZooKeeperServer server, ITestOutputHelper output, params int[] initialPorts)
    {
        var admin = await ConnectAsync(server, Cluster);
        var cluster = new PatchCluster(server, output, admin);
        await ClusterAdmin.CreateClusterAsync(admin, cluster.Layout, new ClusterAcls(Cluster, Proxy), new RingConfig(2, "{}"),
            initialPorts.Select(p => new NodeAddress("127.0.0.1", p)).ToArray());
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

    /// <summary>The directives that register a patched server in this cluster, plus any extra ones.</summary>
    public string[] Directives(params string[] extra) =>
        ["--zookeeper-connect", Server.Endpoint, "--zookeeper-cluster", Layout.Cluster, "--zookeeper-auth", ClusterAuth, .. extra];

    public async Task<PatchedRedisServer> StartPatchedAsync(int? port = null, params string[] extraDirectives)
    {
        var redis = await PatchedRedisServer.StartAsync(_output, Directives(extraDirectives), port);
        _owned.Add(redis);
        return redis;
    }

    /// <summary>A patched server started with exactly these arguments (no directive added).</summary>
    public async Task<PatchedRedisServer> StartPatchedWithAsync(int? port = null, params string[] arguments)
    {
        var redis = await PatchedRedisServer.StartAsync(_output, arguments, port);
        _owned.Add(redis);
        return redis;
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
        var redis = await RedisServer.StartAsync(_output);
        _owned.Add(redis);
        var registrar = RegistrarProcess.Start(_output, redis.Endpoint,
            ["--zookeeper", Server.Endpoint, "--cluster", Layout.Cluster, "--session-timeout-ms", "2000"], ClusterAuth);
        _owned.Add(registrar);
        return redis;
    }

    public static NodeAddress AddressOf(int port) => new("127.0.0.1", port);

    /// <summary>The node's znode data (null when there is none); it must parse as the registrar's format.</summary>
    public async Task<NodeRecord?> ReadNodeAsync(int port)
    {
        var address = AddressOf(port);
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
    public async Task<TimeSpan> WaitForNodeAsync(int port, Func<NodeRecord?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        NodeRecord? last = null;
        while (watch.Elapsed < limit)
        {
            last = await ReadNodeAsync(port);
            if (condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"127.0.0.1:{port}: {what} did not happen within {limit}; last seen: {(last is null ? "no znode" : last.ToString())}");
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
