using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
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

    /// <summary>
    /// The proxy's TLS listener, when it has one (ProxyServer.Tls.cs); creating it loads the
    /// certificate files and throws <see cref="Configuration.ConfigurationException"/> when they do not load.
    /// </summary>
    public ProxyServer(ProxyContext context)
    {
        _context = context;
        _time = context.Time;
        _logger = context.LoggerFactory.CreateLogger<ProxyServer>();
        _idleTimeoutTicks = (long)(context.Options.ClientIdleTimeout.TotalSeconds * _time.TimestampFrequency);
        _trimmer = new IdleMemoryTrimmer(_time);

        // When the default user needs no password every client is authenticated from the start: nothing to wait for.
        _authTimeoutTicks = context.Users.StartsAuthenticated ? 0 : (long)(context.Options.AuthTimeout.TotalSeconds * _time.TimestampFrequency);
        (_certificates, _tls) = CreateTls(context);
    }

    /// <summary>How often overdue backend replies, idle clients, clients past their auth deadline and clients over their soft output buffer limit are looked for.</summary>
    internal static TimeSpan TimerPeriod { get; } = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = _context.Options;
        using var plain = options.Listen.Port != 0 ? Listen(options.Listen) : null;
        using var tls = _tls is not null ? Listen(new IPEndPoint(options.Listen.Address, options.Tls.Port)) : null;
        if (plain is not null)
        {
            LogListening(_logger, options.Listen.ToString());
        }

        if (tls is not null)
        {
            LogListeningTls(_logger, tls.LocalEndPoint!.ToString()!, options.Tls.AuthClients.ToString().ToLowerInvariant());
        }

        using var registration = cancellationToken.Register(() =>
        {
            plain?.Dispose();
            tls?.Dispose();
        });
        var timers = RunTimersAsync(cancellationToken);
        try
        {
            await Task.WhenAll(
                plain is null ? Task.CompletedTask : AcceptAsync(plain, Accept, cancellationToken),
                tls is null ? Task.CompletedTask : AcceptAsync(tls, socket => AcceptTls(socket, cancellationToken), cancellationToken));
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

    private static Socket Listen(IPEndPoint endpoint)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(512);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static async Task AcceptAsync(Socket listener, Action<Socket> accept, CancellationToken cancellationToken)
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

            accept(socket);
        }
    }

    private void Accept(Socket socket)
    {
        socket.NoDelay = true;
        if (IsFull)
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
        _context.Clients.Add(session);
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
            _context.Clients.Remove(session.Id);
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
                try
                {
                    CheckTimers();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Liveness, timeouts and limits depend on this loop: one failing check must
                    // be told and must not stop the next pass.
                    LogTimerFailed(_logger, e);
                }
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
        _context.PubSub.FollowRing();
        CheckCertificateFiles(now);
        foreach (var session in _sessions.Values)
        {
            CheckClient(session, now);
        }
    }

    private void CheckClient(ClientSession session, long now)
    {
        // A subscriber waits for messages, not for itself: Redis's timeout spares it too.
        if (_idleTimeoutTicks > 0 && !session.HasPendingRequests && session.Client.Subscriptions == 0 && now - session.LastActivity > _idleTimeoutTicks)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Endpoint} for TLS clients (client certificates: {AuthClients})")]
    private static partial void LogListeningTls(ILogger logger, string endpoint, string authClients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} ({Address}) did not authenticate within {Seconds} s of connecting; closing the connection")]
    private static partial void LogAuthTimeout(ILogger logger, long clientId, string address, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Client {ClientId}: session failed")]
    private static partial void LogSessionFailed(ILogger logger, long clientId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the proxy's timer failed; the next pass runs as usual")]
    private static partial void LogTimerFailed(ILogger logger, Exception exception);
}
