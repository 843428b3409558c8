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

    public BackendNode Create(NodeEndpoint endpoint) => new(endpoint, options, copyFinder, _logger, time, _connector);
}
