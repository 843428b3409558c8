using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Server;

/// <summary>
/// Accepts client connections and runs a <see cref="ClientSession"/> for each; a timer closes
/// backend connections whose replies are overdue and clients that stayed idle too long.
/// </summary>
internal sealed partial class ProxyServer
{
    private static readonly PipeOptions s_clientSendOptions = new(pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    private static readonly PipeOptions s_clientReceiveOptions = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly ProxyContext _context;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, ClientSession> _sessions = new();

    public ProxyServer(ProxyContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<ProxyServer>();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(_context.Options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(_context.Options.Listen);
        listener.Listen(512);
        LogListening(_logger, _context.Options.Listen.ToString());
        using var registration = cancellationToken.Register(listener.Dispose);
        var timers = RunTimersAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptAsync(cancellationToken);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                Accept(socket);
            }
        }
        finally
        {
            foreach (var session in _sessions.Values)
            {
                session.Abort();
            }

            await timers;
        }
    }

    private void Accept(Socket socket)
    {
        socket.NoDelay = true;
        if (_context.Stats.ConnectedClients >= _context.Options.MaxClients)
        {
            _context.Stats.ConnectionRejected();
            try
            {
                socket.Send("-ERR max number of clients reached\r\n"u8);
            }
            catch (SocketException)
            {
            }

            socket.Dispose();
            return;
        }

        var connection = Connections.Open(socket, s_clientSendOptions, s_clientReceiveOptions);
        var id = _context.Stats.ClientConnected();
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        var session = new ClientSession(_context, connection, id, remote, () => connection.Dispose(), _context.LoggerFactory.CreateLogger<ClientSession>());
        _sessions[id] = session;
        _ = RunSessionAsync(session, connection);
    }

    private async Task RunSessionAsync(ClientSession session, IConnection connection)
    {
        try
        {
            await session.RunAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away; nothing to tell anyone.
        }
        catch (Exception e)
        {
            LogSessionFailed(_logger, session.Id, e);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            _context.Stats.ClientDisconnected();
            connection.Dispose();
        }
    }

    private async Task RunTimersAsync(CancellationToken cancellationToken)
    {
        var timeoutTicks = BackendNode.TimeoutTicks(_context.Options);
        var idle = (long)_context.Options.ClientIdleTimeout.TotalMilliseconds;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var node in _context.Routing.Value.Backends)
                {
                    node.CheckTimeout(now, timeoutTicks);
                }

                if (idle > 0)
                {
                    var nowMs = Environment.TickCount64;
                    foreach (var session in _sessions.Values)
                    {
                        if (!session.HasPendingRequests && nowMs - session.LastActivity > idle)
                        {
                            session.Abort();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Client {ClientId}: session failed")]
    private static partial void LogSessionFailed(ILogger logger, long clientId, Exception exception);
}
