using System.IO.Pipelines;
using Pipelines.Sockets.Unofficial;

namespace RedisRing.Proxy.Transport;

/// <summary>The managed socket layer (through Pipelines.Sockets.Unofficial), where epoll is not used.</summary>
internal sealed class PipelinesConnection(SocketConnection connection) : IConnection
{
    public PipeReader Input => connection.Input;

    public PipeWriter Output => connection.Output;

    public void Dispose() => connection.Dispose();
}
