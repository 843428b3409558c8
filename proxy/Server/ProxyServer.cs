using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Server;

/// <summary>
/// Accepts client connections and runs a <see cref="ClientSession"/> for each; a timer closes
/// backend connections whose replies are overdue, clients that stayed idle too long, clients
/// that did not authenticate in time and clients whose unread replies stayed over the soft
/// output buffer limit too long. The timer and its checks run on the context's <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class ProxyServer
{
    private static readonly PipeOptions s_clientSendOptions = new(pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    private static readonly PipeOptions s_clientReceiveOptions = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly ProxyContext _context;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, ClientSession> _sessions = new();
    private readonly TimeProvider _time;
    private readonly long _idleTimeoutTicks;
    private readonly IdleMemoryTrimmer _trimmer;
    private readonly long _authTimeoutTicks;

    public ProxyServer(ProxyContext context)
    {
        _context = context;
        _time = context.Time;
        _logger = context.LoggerFactory.CreateLogger<ProxyServer>();
        _idleTimeoutTicks = (long)(context.Options.ClientIdleTimeout.TotalSeconds * _time.TimestampFrequency);
        _trimmer = new IdleMemoryTrimmer(_time);

        // Without a password every client is authenticated from the start: nothing to wait for.
        _authTimeoutTicks = context.PasswordBytes is null ? 0 : (long)(context.Options.AuthTimeout.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>How often overdue backend replies, idle clients, clients past their auth deadline and clients over their soft output buffer limit are looked for.</summary>
    internal static TimeSpan TimerPeriod { get; } = TimeSpan.FromMilliseconds(50);

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
        StartSession(connection, socket.RemoteEndPoint?.ToString() ?? "?");
    }

    /// <summary>
    /// Runs a session on an accepted connection (a socket here, an in-memory pipe in the core
    /// tests) until the client leaves; disposing the connection aborts it.
    /// </summary>
    internal ClientSession StartSession(IConnection connection, string remote)
    {
        var id = _context.Stats.ClientConnected();
        var session = new ClientSession(_context, connection, id, remote, connection.Dispose, _context.LoggerFactory.CreateLogger<ClientSession>());
        _sessions[id] = session;
        _ = RunSessionAsync(session, connection);
        return session;
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
            session.OnClosed();
            _context.Stats.ClientDisconnected();
            connection.Dispose();
        }
    }

    internal async Task RunTimersAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimerPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                CheckTimers();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass of the timer: per-command timeouts and liveness of the backends, idle clients, clients past their auth deadline or too long over the soft output buffer limit, and the idle memory trim.</summary>
    internal void CheckTimers()
    {
        var now = _time.GetTimestamp();
        foreach (var node in _context.Routing.Value.Backends)
        {
            node.CheckHealth(now);
        }

        _trimmer.Check();
        foreach (var session in _sessions.Values)
        {
            CheckClient(session, now);
        }
    }

    private void CheckClient(ClientSession session, long now)
    {
        if (_idleTimeoutTicks > 0 && !session.HasPendingRequests && now - session.LastActivity > _idleTimeoutTicks)
        {
            session.Abort();
            return;
        }

        // Counted from the connection, not from the last bytes: trickling a request byte by byte
        // must not keep a stranger's connection, and its half-sent frame, alive.
        if (_authTimeoutTicks > 0 && !session.Client.HasAuthenticated && now - session.ConnectedAt > _authTimeoutTicks)
        {
            if (session.Abort())
            {
                LogAuthTimeout(_logger, session.Id, session.Client.Remote, _context.Options.AuthTimeout.TotalSeconds);
            }

            return;
        }

        session.CheckOutputLimit(now);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} ({Address}) did not authenticate within {Seconds} s of connecting; closing the connection")]
    private static partial void LogAuthTimeout(ILogger logger, long clientId, string address, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Client {ClientId}: session failed")]
    private static partial void LogSessionFailed(ILogger logger, long clientId, Exception exception);
}
