using System.Net;
using System.Net.Sockets;

namespace RedisRing.Testing;

/// <summary>Hands out free TCP ports on 127.0.0.1 for servers started by tests.</summary>
public static class LoopbackPorts
{
    private static int s_lastPort = 20000 + (Environment.ProcessId % 20000);

    /// <summary>
    /// Returns a port that nothing listens on right now. Ports are probed from a per-process
    /// starting point rather than taken from the kernel's ephemeral range, because an ephemeral
    /// port can be handed out again to an outgoing connection before the server binds it.
    /// </summary>
    public static int GetFree()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Interlocked.Increment(ref s_lastPort);
            if (port > 60000)
            {
                Interlocked.Exchange(ref s_lastPort, 20000);
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }

        throw new InvalidOperationException("No free loopback port found.");
    }
}
