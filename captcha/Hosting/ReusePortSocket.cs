using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// Listening sockets for workers: SO_REUSEPORT lets every worker bind the same address and port,
/// and the kernel spreads new connections across the workers' accept queues. Workers are separate
/// processes, so no request waits on another worker's garbage collection or thread pool.
/// </summary>
internal static class ReusePortSocket
{
    // From <asm-generic/socket.h>; .NET names SO_REUSEADDR but not SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static Socket Create(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip)
        {
            // A Unix socket or an inherited handle cannot be shared this way; bind it as Kestrel would.
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
