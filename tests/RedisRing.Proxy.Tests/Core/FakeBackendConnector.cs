using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>Connects each node address to its <see cref="FakeRedisBackend"/> over in-memory pipes.</summary>
internal sealed class FakeBackendConnector(IReadOnlyDictionary<string, FakeRedisBackend> byAddress) : IBackendConnector
{
    public Task<IConnection> ConnectAsync(NodeEndpoint endpoint, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<IConnection>(byAddress[endpoint.Address].Accept());
        }
        catch (IOException e)
        {
            return Task.FromException<IConnection>(e);
        }
    }
}
