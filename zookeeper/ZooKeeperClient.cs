using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RedisRing.ZooKeeper.Protocol;
using RedisRing.ZooKeeper.Session;
using RedisRing.ZooKeeper.Watches;

namespace RedisRing.ZooKeeper;

/// <summary>
/// An asynchronous ZooKeeper client: one session over one pipelined connection at a time, moved
/// to another server of the ensemble when its server fails, for as long as the session lives.
/// Watch callbacks and <see cref="StateChanged"/> run in order on a dispatcher of their own.
/// </summary>
public sealed partial class ZooKeeperClient : IAsyncDisposable, IConnectionEvents
{
    private readonly ZooKeeperClientOptions _options;
    private readonly ConnectString _connectString;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WatchRegistry _watches = new();
    private readonly EventDispatcher _dispatcher;
    private readonly Lock _stateLock = new();
    private readonly List<(string Scheme, byte[] Auth)> _authInfo = [];
    private readonly CancellationTokenSource _closing = new();
    private Channel<PendingRequest> _requests = NewRequestQueue();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ZooKeeperState _state = ZooKeeperState.Connecting;
    private volatile bool _closeRequested;
    private long _sessionId;
    private byte[] _password = new byte[16];
    private int _negotiatedTimeoutMs;
    private long _lastZxid;
    private Connection? _connection;
    private Task _sessionLoop = Task.CompletedTask;

    private ZooKeeperClient(ZooKeeperClientOptions options)
    {
        _options = options;
        _connectString = ConnectString.Parse(options.ConnectString);
        _logger = options.LoggerFactory.CreateLogger<ZooKeeperClient>();
        _time = options.TimeProvider;
        _dispatcher = new EventDispatcher(_logger);
    }

    /// <summary>Raised (on the event dispatcher) whenever <see cref="State"/> changes.</summary>
    public event EventHandler<ZooKeeperStateChangedEventArgs>? StateChanged;

    public ZooKeeperState State => _state;

    /// <summary>The current session's id (0 until the first session is established).</summary>
    public long SessionId => Interlocked.Read(ref _sessionId);

    /// <summary>The session timeout the server granted (the requested one until connected).</summary>
    public TimeSpan SessionTimeout => _negotiatedTimeoutMs > 0 ? TimeSpan.FromMilliseconds(_negotiatedTimeoutMs) : _options.SessionTimeout;

    /// <summary>The highest transaction id this client has seen in a reply.</summary>
    public long LastZxid => Interlocked.Read(ref _lastZxid);

    /// <summary>The server the client is connected to right now, if any ("host:port").</summary>
    public string? ConnectedServer => _connection is { } c ? $"{c.Server.Host}:{c.Server.Port}" : null;

    /// <summary>
    /// Starts a client and waits until it has a session. Gives up with
    /// <see cref="ConnectionLossException"/> when no server accepted one within
    /// <see cref="ZooKeeperClientOptions.SessionTimeout"/> × (servers + 1), or when cancelled.
    /// </summary>
    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ZooKeeperClient(options);
        try
        {
            client.StartSession();
            var limit = options.SessionTimeout * (client._connectString.Servers.Count + 1);
            await client.WaitConnectedAsync(limit, cancellationToken);
            return client;
        }
        catch
        {
            await client.CloseAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// After <see cref="ZooKeeperState.Expired"/>, starts a new session (new id, no watches,
    /// the same auth) and waits for it; when another caller already did, just waits for it.
    /// This is the application's decision, never taken by the client on its own.
    /// </summary>
    public async Task RenewSessionAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            switch (_state)
            {
                case ZooKeeperState.Closed:
                    throw new ClientClosedException();
                case ZooKeeperState.AuthFailed:
                    throw new AuthFailedException();
                case ZooKeeperState.Expired:
                    Interlocked.Exchange(ref _sessionId, 0);
                    _password = new byte[16];
                    _negotiatedTimeoutMs = 0;
                    _requests = NewRequestQueue();
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    SetStateLocked(ZooKeeperState.Connecting);
                    StartSession();
                    break;
            }
        }

        await WaitConnectedAsync(_options.SessionTimeout * (_connectString.Servers.Count + 1), cancellationToken);
    }

    /// <summary>Waits until the client is connected (returns at once when it is).</summary>
    public async Task WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task connected;
        lock (_stateLock)
        {
            connected = _connected.Task;
        }

        try
        {
            await connected.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ConnectionLossException();
        }
    }

    /// <summary>
    /// Closes the session on the server (its ephemeral nodes go at once) and stops the client.
    /// Operations still pending fail with <see cref="ClientClosedException"/>.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        // From here on, the server closing the connection (as it does after closeSession) is not
        // a disconnection to report or recover from.
        _closeRequested = true;
        if (_state == ZooKeeperState.Connected)
        {
            try
            {
                var close = Submit(OpCode.CloseSession, null, static (_, ref _) => true, cancellationToken);
                await close.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(SessionTimeout.TotalMilliseconds, 2000)), _time, cancellationToken);
            }
            catch (Exception e) when (e is ZooKeeperException or TimeoutException or OperationCanceledException)
            {
                // The session then expires on the server by itself.
            }
        }

        lock (_stateLock)
        {
            if (_state == ZooKeeperState.Closed)
            {
                return;
            }

            SetStateLocked(ZooKeeperState.Closed);
            FailQueuedLocked(new ClientClosedException());
        }

        await _closing.CancelAsync();
        _connection?.Abort();
        try
        {
            await _sessionLoop;
        }
        catch (OperationCanceledException)
        {
        }

        LogClosed(SessionId);
        _ = _dispatcher.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None);
        _closing.Dispose();
    }

    void IConnectionEvents.OnZxid(long zxid)
    {
        // Replies arrive in zxid order on one connection; keep the maximum anyway.
        var current = Interlocked.Read(ref _lastZxid);
        while (zxid > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastZxid, zxid, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    void IConnectionEvents.OnNotification(WatchEventType type, string serverPath)
    {
        var watchers = _watches.Take(type, serverPath);
        if (watchers.Count == 0)
        {
            return;
        }

        var watchedEvent = new WatchedEvent(type, _connectString.ToClientPath(serverPath));
        _dispatcher.Post(() =>
        {
            foreach (var watcher in watchers)
            {
                try
                {
                    watcher(watchedEvent);
                }
#pragma warning disable CA1031 // one failing watcher must not keep the others from their event
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogWatcherFailed(e, watchedEvent.Path);
                }
            }
        });
    }

    private static Channel<PendingRequest> NewRequestQueue() =>
        Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>Serializes a request on the caller's thread and queues it for the connection.</summary>
    private Task<T> Submit<T>(OpCode opCode, Action<JuteWriter>? writeBody, ReplyParser<T> parser, CancellationToken cancellationToken, int fixedXid = 0)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] body = [];
        if (writeBody is not null)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            writeBody(new JuteWriter(buffer));

            // 12 bytes of length prefix and header go with the body.
            if (buffer.WrittenCount + 12L > _options.MaxPacketLength)
            {
                throw new PacketTooLargeException(buffer.WrittenCount + 12L, _options.MaxPacketLength);
            }

            body = buffer.WrittenSpan.ToArray();
        }

        var request = new PendingRequest<T>(opCode, body, parser, cancellationToken, fixedXid);
        if (!_requests.Writer.TryWrite(request))
        {
            throw TerminalException();
        }

        return request.Task;
    }

    private ZooKeeperException TerminalException() => _state switch
    {
        ZooKeeperState.Expired => new SessionExpiredException(),
        ZooKeeperState.AuthFailed => new AuthFailedException(),
        _ => new ClientClosedException(),
    };

    private void SetStateLocked(ZooKeeperState state)
    {
        var previous = _state;
        if (previous == state)
        {
            return;
        }

        _state = state;
        var args = new ZooKeeperStateChangedEventArgs(previous, state, SessionId);
        LogStateChanged(previous, state, args.SessionId);
        _dispatcher.Post(() => StateChanged?.Invoke(this, args));
    }

    /// <summary>Ends the request queue of a session that is over and fails what is still in it.</summary>
    private void FailQueuedLocked(ZooKeeperException reason)
    {
        _requests.Writer.TryComplete();
        while (_requests.Reader.TryRead(out var request))
        {
            request.Fail(reason);
        }

        _connected.TrySetException(reason);
        _ = _connected.Task.Exception; // observed: callers that wait see it through their own await
    }
}
