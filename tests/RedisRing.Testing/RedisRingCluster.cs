using System.Globalization;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A whole local RedisRing: real redis-server nodes on loopback behind a real proxy process with
/// a static node list. Disposing it stops everything it started.
/// </summary>
public sealed class RedisRingCluster : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes;

    private RedisRingCluster(List<RedisServer> nodes, ProxyProcess proxy)
    {
        _nodes = nodes;
        Proxy = proxy;
    }

    public ProxyProcess Proxy { get; }

    public int ProxyPort => Proxy.Port;

    public string ProxyEndpoint => Proxy.Endpoint;

    /// <summary>The redis-servers behind the proxy, in ring order; <c>Nodes[i].Kill()</c> is kill -9.</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public static async Task<RedisRingCluster> StartAsync(ITestOutputHelper? output, int nodes = 3, int replicas = 2, params string[] proxyArguments)
    {
        var servers = new List<RedisServer>();
        try
        {
            var starts = Enumerable.Range(0, nodes).Select(_ => RedisServer.StartAsync(output)).ToList();
            foreach (var start in starts)
            {
                servers.Add(await start);
            }

            var arguments = new List<string> { "--replicas", replicas.ToString(CultureInfo.InvariantCulture) };
            foreach (var server in servers)
            {
                arguments.Add("--node");
                arguments.Add(server.Endpoint);
            }

            arguments.AddRange(proxyArguments);
            var proxy = await ProxyProcess.StartAsync(output, arguments);
            return new RedisRingCluster(servers, proxy);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
