using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Routing;
using RedisRing.Proxy.Server;
using RedisRing.Ring;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// The proxy's core in memory: a static ring over N <see cref="FakeRedisBackend"/>s, the real
/// <see cref="ProxyContext"/>, <see cref="CurrentRoutingTable"/>, backends and
/// <see cref="ProxyServer"/> (sessions and timer checks, no listening socket), all on one
/// <see cref="CountingFakeTimeProvider"/>. Time moves only when a test advances it.
/// </summary>
internal sealed class ProxyCoreHarness : IDisposable
{
    private readonly List<InMemoryClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    private ProxyCoreHarness(ProxyOptions options, CountingFakeTimeProvider time, IReadOnlyList<FakeRedisBackend> backends, CurrentRoutingTable routing)
    {
        Options = options;
        Time = time;
        Backends = backends;
        Routing = routing;
        Context = new ProxyContext(options, routing, new InMemoryRingSource(), NullLoggerFactory.Instance, time);
        Server = new ProxyServer(Context);
    }

    public ProxyOptions Options { get; }

    public CountingFakeTimeProvider Time { get; }

    /// <summary>The fake servers, by ring node index.</summary>
    public IReadOnlyList<FakeRedisBackend> Backends { get; }

    public CurrentRoutingTable Routing { get; }

    public ProxyContext Context { get; }

    public ProxyServer Server { get; }

    /// <summary>Starts <paramref name="nodes"/> fake servers, connects the proxy's backends to them and waits until all are up.</summary>
    public static async Task<ProxyCoreHarness> StartAsync(int nodes, int replicas, Func<ProxyOptions, ProxyOptions>? configure = null)
    {
        var endpoints = Enumerable.Range(1, nodes).Select(i => new NodeEndpoint($"10.0.0.{i}", 6379, 1, null)).ToList();
        var options = new ProxyOptions { Nodes = endpoints, Replicas = replicas };
        options = configure?.Invoke(options) ?? options;
        var time = new CountingFakeTimeProvider();
        var fakes = endpoints.Select(e => new FakeRedisBackend(e.Address)).ToList();
        var connector = new FakeBackendConnector(endpoints.Zip(fakes).ToDictionary(p => p.First.Address, p => p.Second));
        var ringOptions = new RingOptions { Replicas = replicas, HashTag = options.HashTag };
        var routing = new CurrentRoutingTable(RoutingTable.Empty(ringOptions, time));
        var factory = new BackendNodeFactory(options, routing, NullLoggerFactory.Instance, time, connector);
        var hashRing = HashRing.Create(endpoints.Select(e => RingNode.FromEndpoint(e.Host, e.Port, e.Weight)).ToList(), ringOptions);
        var backends = endpoints.Select(e => factory.Create(e)).ToList();
        routing.Install(RoutingTable.Static(hashRing, backends, time), added: backends, removed: [], TimeSpan.Zero);
        var harness = new ProxyCoreHarness(options, time, fakes, routing);
        await Eventually.TrueAsync(() => backends.All(b => b.State == BackendState.Up), "every backend up");
        return harness;
    }

    public BackendNode Node(int index) => Routing.Value.Backends[index];

    /// <summary>A new client session on an in-memory pipe.</summary>
    public InMemoryClient Connect()
    {
        var client = new InMemoryClient(Server);
        _clients.Add(client);
        return client;
    }

    /// <summary>Runs the proxy's periodic timer (on the fake clock) until the harness is disposed.</summary>
    public Task RunTimersAsync() => Server.RunTimersAsync(_stop.Token);

    /// <summary>The copies of <paramref name="key"/> by ring node index, primary first.</summary>
    public IReadOnlyList<int> CopiesOf(string key) => Routing.Value.Locate(Encoding.UTF8.GetBytes(key)).Writes;

    /// <summary>
    /// A key whose primary is node 0 and replica node 1, stored with the given value on each copy
    /// (null leaves that copy without it); node 0 refuses reconnects, so once its connection is
    /// lost it stays down for the test.
    /// </summary>
    public string KeyOnPrimaryZeroThatStaysDown(string? onPrimary, string onReplica)
    {
        var key = KeyOn(0, replica: 1);
        if (onPrimary is not null)
        {
            Backends[0].Set(key, onPrimary);
        }

        Backends[1].Set(key, onReplica);
        Backends[0].RefuseConnections = true;
        return key;
    }

    /// <summary>
    /// A key (prefix:n) whose primary is <paramref name="primary"/> and, when given, whose second copy is
    /// <paramref name="replica"/>; <paramref name="avoid"/> excludes keys of another key's replica set.
    /// </summary>
    public string KeyOn(int primary, int? replica = null, string prefix = "key", string? avoid = null)
    {
        var avoidSet = avoid is null ? -1 : Routing.Value.Locate(Encoding.UTF8.GetBytes(avoid)).Id;
        for (var i = 0; i < 100_000; i++)
        {
            var key = $"{prefix}:{i}";
            var set = Routing.Value.Locate(Encoding.UTF8.GetBytes(key));
            if (set.Primary == primary && (replica is null || set.Writes[1] == replica) && set.Id != avoidSet)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"no key with primary {primary} and replica {replica}");
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var node in Routing.Value.Backends)
        {
            node.Retire(TimeSpan.Zero);
        }

        foreach (var backend in Backends)
        {
            backend.DropConnections();
        }

        _stop.Dispose();
    }

    private sealed class InMemoryRingSource : IRingSource
    {
        public bool IsStatic => true;

        public void WriteInfo(Action<string, object> line) => line("ring_source", "in-memory");
    }
}
