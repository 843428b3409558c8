using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;

namespace RedisRing.Proxy.Transport;

/// <summary>
/// Chooses how sockets are driven: by the proxy's own <see cref="EpollLoop"/> on x86-64 Linux, by
/// the managed socket layer elsewhere or when REDISRING_SOCKETS=managed asks for it.
/// </summary>
internal static class Connections
{
    public static bool UseEpoll { get; } = EpollNative.IsSupported
        && !string.Equals(Environment.GetEnvironmentVariable("REDISRING_SOCKETS"), "managed", StringComparison.OrdinalIgnoreCase);

    /// <summary>Wraps a connected socket that nothing has used asynchronously yet.</summary>
    public static IConnection Open(Socket socket, PipeOptions sendOptions, PipeOptions receiveOptions, string? name = null)
    {
        if (UseEpoll)
        {
            return new EpollConnection(socket, sendOptions, receiveOptions, EpollLoop.Shared);
        }

        return new PipelinesConnection(SocketConnection.Create(socket, sendOptions, receiveOptions, SocketConnectionOptions.InlineReads | SocketConnectionOptions.InlineWrites, name: name));
    }

    /// <summary>
    /// Connects within <paramref name="timeout"/>. For the epoll transport the connect must not go
    /// through the managed socket layer's async path: that would add the socket to the layer's
    /// own epoll set for good, and every later event would wake its thread too.
    /// </summary>
    public static async Task ConnectAsync(Socket socket, EndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!UseEpoll)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            await socket.ConnectAsync(endpoint, cts.Token);
            return;
        }

        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Connecting in the background: wait below for the socket to become writable.
        }

        var started = Stopwatch.GetTimestamp();
        while (!socket.Poll(0, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"connect to {endpoint} timed out");
            }

            await Task.Delay(1, cancellationToken);
        }

        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }
    }
}
