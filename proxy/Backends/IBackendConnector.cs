using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// Opens the byte stream to a backend: a TCP socket in the proxy (<see cref="SocketBackendConnector"/>),
/// an in-memory pipe in the core tests. Everything above it (pipelining, FIFO reply matching,
/// timeouts, recovery) is the same for both.
/// </summary>
internal interface IBackendConnector
{
    /// <summary>Connects within <paramref name="timeout"/>; throws (IOException, SocketException, TimeoutException...) when it cannot.</summary>
    Task<IConnection> ConnectAsync(NodeEndpoint endpoint, string name, TimeSpan timeout, CancellationToken cancellationToken);
}
