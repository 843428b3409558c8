using System.Globalization;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A whole local RedisRing: real redis-server nodes on loopback behind a real proxy process with
/// a static node list. Disposing it stops everything it started.
/// </summary>
public sealed class RedisRingCluster : RingCluster
{
    private readonly List<RedisServer> _nodes = [];
    private ProxyProcess? _proxy;

    private RedisRingCluster(ITestOutputHelper? output)
        : base(output)
    {
    }

    public ProxyProcess Proxy => _proxy ?? throw new InvalidOperationException("Not started.");

    public int ProxyPort => Proxy.Port;

    public string ProxyEndpoint => Proxy.Endpoint;

    /// <summary>The redis-servers behind the proxy, in ring order; <c>Nodes[i].Kill()</c> is kill -9.</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public static Task<RedisRingCluster> StartAsync(ITestOutputHelper? output, int nodes = 3, int replicas = 2, params string[] proxyArguments) =>
        ServerProcess.StartOrDisposeAsync(new RedisRingCluster(output), c => c.StartAsync(nodes, replicas, proxyArguments));

    private async Task StartAsync(int nodes, int replicas, string[] proxyArguments)
    {
        // Started together; every one that started is owned (and stopped) even when another failed.
        var starts = Enumerable.Range(0, nodes).Select(_ => RedisServer.StartAsync(Output)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                _nodes.Add(Own(await start));
            }
        }

        var arguments = new List<string> { "--replicas", replicas.ToString(CultureInfo.InvariantCulture) };
        foreach (var server in _nodes)
        {
            arguments.Add("--node");
            arguments.Add(server.Endpoint);
        }

        arguments.AddRange(proxyArguments);
        _proxy = Own(await ProxyProcess.StartAsync(Output, arguments));
    }
}
