using System.Net;
using System.Net.Sockets;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Backends;

/// <summary>The proxy's connector: a TCP socket to the node's address, driven by the chosen transport.</summary>
internal sealed class SocketBackendConnector : IBackendConnector
{
    public static SocketBackendConnector Instance { get; } = new();

    public async Task<IConnection> ConnectAsync(NodeEndpoint endpoint, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(endpoint, timeout, cancellationToken);
        return Connections.Open(socket, BackendConnection.SendOptions, BackendConnection.ReceiveOptions, name);
    }

    /// <summary>A socket connected to the node within <paramref name="timeout"/>, not yet used asynchronously (also what TLS to the nodes runs on).</summary>
    public static async Task<Socket> ConnectSocketAsync(NodeEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = await ResolveAsync(endpoint.Host, endpoint.Port, cancellationToken);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // The connect timeout is the socket's own business: it stays on the real clock.
            await Connections.ConnectAsync(socket, address, timeout, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    private static async Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return new IPEndPoint(addresses.First(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6), port);
    }
}
