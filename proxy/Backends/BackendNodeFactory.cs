using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Backends;

/// <summary>Creates the backend for a node address with the proxy's options, copy finder and logger.</summary>
internal sealed class BackendNodeFactory(ProxyOptions options, IReadableCopyFinder copyFinder, ILoggerFactory loggerFactory)
{
    private readonly ILogger<BackendNode> _logger = loggerFactory.CreateLogger<BackendNode>();

    public BackendNode Create(NodeEndpoint endpoint) => new(endpoint, options, copyFinder, _logger);
}
