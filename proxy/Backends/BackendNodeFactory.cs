using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// Creates the backend for a node address with the proxy's options, copy finder, logger, clock
/// and connector (sockets unless a test passes in-memory pipes).
/// </summary>
internal sealed class BackendNodeFactory(ProxyOptions options, IReadableCopyFinder copyFinder, ILoggerFactory loggerFactory, TimeProvider time, IBackendConnector? connector = null)
{
    private readonly ILogger<BackendNode> _logger = loggerFactory.CreateLogger<BackendNode>();
    private readonly IBackendConnector _connector = connector ?? SocketBackendConnector.Instance;

    /// <summary>The clock every node of this factory reads and waits on.</summary>
    public TimeProvider Time => time;

    /// <param name="memberCreatedZxid">The member znode's creation zxid (0 for a static node list).</param>
    public BackendNode Create(NodeEndpoint endpoint, long memberCreatedZxid = 0)
    {
        var node = new BackendNode(endpoint, options, copyFinder, _logger, time, _connector) { MemberCreatedZxid = memberCreatedZxid };
        Created?.Invoke(node);
        return node;
    }

    /// <summary>Called with every node this factory creates (proxy/Admin gives it its latency histogram).</summary>
    public Action<BackendNode>? Created { get; set; }
}
