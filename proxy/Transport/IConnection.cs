using System.IO.Pipelines;

namespace RedisRing.Proxy.Transport;

/// <summary>A socket seen as two pipes; disposing it closes the socket and ends both.</summary>
internal interface IConnection : IDuplexPipe, IDisposable
{
}
