using System.IO.Pipelines;

namespace RedisRing.Proxy.Transport;

/// <summary>A socket seen as two pipes; disposing it closes the socket and ends both.</summary>
internal interface IConnection : IDuplexPipe, IDisposable
{
    /// <summary>
    /// Bytes handed to the socket so far: a peer that takes our bytes is alive even while it owes
    /// replies (the liveness check counts it as progress). 0 where it is not measured.
    /// </summary>
    long BytesSent => 0;
}
