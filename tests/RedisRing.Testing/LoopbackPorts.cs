using System.Net;
using System.Net.Sockets;

namespace RedisRing.Testing;

/// <summary>Hands out free TCP ports on 127.0.0.1 for servers started by tests.</summary>
public static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768-60999 by default): a port in it that is free when
    // picked can be taken as the source port of some outgoing connection before the server
    // binds it (seen in CI: "Address already in use" for a proxy's port).
    private const int FirstPort = 20000;
    private const int LastPort = 32000;

    private static int s_lastPort = FirstPort + (Environment.ProcessId % (LastPort - FirstPort));

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
            if (port > LastPort)
            {
                Interlocked.Exchange(ref s_lastPort, FirstPort);
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
