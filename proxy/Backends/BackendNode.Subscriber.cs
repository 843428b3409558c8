using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Backends;

internal sealed partial class BackendNode
{
    /// <summary>How this node's connections are opened, for the pub/sub subscriber connection (proxy/PubSub), which is not part of the data path.</summary>
    internal IBackendConnector Connector => _connector;

    /// <summary>The proxy's options (connect timeout, backend password), for the subscriber connection.</summary>
    internal ProxyOptions Options => _options;
}
