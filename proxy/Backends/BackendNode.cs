using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// One backend Redis server: its connection, its state as this proxy sees it, the writes it
/// missed (hints) and its counters. State changes are made by the connection (on failure) and by
/// the recovery loop (on reconnect); readers of <see cref="State"/> take no lock.
/// </summary>
internal sealed partial class BackendNode
{
    private readonly ProxyOptions _options;
    private readonly IReadableCopyFinder _copyFinder;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IBackendConnector _connector;
    private readonly object _recoverySync = new();
    private volatile BackendConnection? _connection;
    private volatile int _state = (int)BackendState.Down;
    private Task? _recovery;
    private bool _recovering;
    private bool _recoveryAgain;
    private long _writeCopyFailures;
    private long _readFailovers;
    private long _stateChanges;
    private volatile bool _retired;

    public BackendNode(NodeEndpoint endpoint, ProxyOptions options, IReadableCopyFinder copyFinder, ILogger<BackendNode> logger, TimeProvider time, IBackendConnector connector)
    {
        Endpoint = endpoint;
        _options = options;
        _copyFinder = copyFinder;
        _logger = logger;
        _time = time;
        _connector = connector;
        Hints = new HintBuffer(options.MaxHintedKeysPerNode);
        WarmUp = new WarmUpTracker(options.MaxWarmUpTrackedKeys);
        LastStateChange = time.GetUtcNow();
    }

    public NodeEndpoint Endpoint { get; }

    public string Name => Endpoint.RingName;

    public BackendState State => (BackendState)_state;

    /// <summary>Reads may be served by this node only when it is up and complete.</summary>
    public bool IsReadable => _state == (int)BackendState.Up;

    public bool IsConnected => _connection is { IsClosed: false };

    /// <summary>The server's run_id when last connected: a new one means it restarted (empty).</summary>
    public string? RunId { get; private set; }

    public HintBuffer Hints { get; }

    /// <summary>Keys this proxy wrote to the node during its warm-up (tracking only while a warm-up job runs).</summary>
    public WarmUpTracker WarmUp { get; }

    public DateTimeOffset LastStateChange { get; private set; }

    public string? LastError { get; private set; }

    public long WriteCopyFailures => Interlocked.Read(ref _writeCopyFailures);

    public long ReadFailovers => Interlocked.Read(ref _readFailovers);

    public long StateChanges => Interlocked.Read(ref _stateChanges);

    public int PendingCount => _connection?.PendingCount ?? 0;

    /// <summary>Queues a command on the live connection; false when there is none or it is full.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> command, ICallTarget target, int tag)
    {
        var connection = _connection;
        return connection is not null && connection.TryEnqueue(command, target, tag);
    }

    public void Flush() => _connection?.Flush();

    /// <summary>True once the node left the ring: it no longer reconnects.</summary>
    public bool IsRetired => _retired;

    /// <summary>
    /// Called when the node left the ring: it stops reconnecting, and its connection is closed
    /// once the requests already sent on an older ring snapshot had time to finish (a request
    /// still waiting then fails over to its next copy, as on any closed connection).
    /// </summary>
    public void Retire(TimeSpan grace)
    {
        _retired = true;
        _ = Task.Delay(grace, _time).ContinueWith(static (_, state) => ((BackendNode)state!)._connection?.Close("node left the ring"), this, TaskScheduler.Default);
    }

    public void CountWriteCopyFailure() => Interlocked.Increment(ref _writeCopyFailures);

    public void CountReadFailover() => Interlocked.Increment(ref _readFailovers);

    /// <summary>Sends a command on the proxy's own behalf and waits for its raw reply (null on failure).</summary>
    public async Task<byte[]?> ExecuteAsync(byte[] command, TimeSpan? timeout = null)
    {
        var call = new InternalCall();
        if (!TryEnqueue(command, call, 0))
        {
            return null;
        }

        Flush();
        try
        {
            return await call.Reply.WaitAsync(timeout ?? _options.CommandTimeout * 2, _time);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Closes the connection if a command has waited too long (called by the timer).
    /// <paramref name="now"/> and <paramref name="timeoutTicks"/> are in the proxy's TimeProvider
    /// timestamp units (<see cref="TimeoutTicks"/>).
    /// </summary>
    public void CheckTimeout(long now, long timeoutTicks)
    {
        var connection = _connection;
        if (connection is not null && connection.HasTimedOut(now, timeoutTicks))
        {
            LogTimeout(_logger, Name, _options.CommandTimeout.TotalMilliseconds);
            connection.Close("command timeout");
        }
    }

    internal void OnConnectionClosed(BackendConnection connection, string reason)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return;
        }

        LastError = reason;
        SetState(BackendState.Down);
        if (_retired)
        {
            return;
        }

        LogConnectionLost(_logger, Name, reason);
        StartRecovery();
    }

    /// <summary>
    /// Starts connecting in the background if no attempt is running. A request that comes while
    /// one is finishing is not lost: the running recovery goes round again when the connection it
    /// made is already gone (a node that accepted and died at once).
    /// </summary>
    public void StartRecovery()
    {
        lock (_recoverySync)
        {
            if (_retired)
            {
                return;
            }

            if (_recovering)
            {
                _recoveryAgain = true;
                return;
            }

            _recovering = true;
            _recovery = Task.Run(RecoverUntilSettledAsync);
        }
    }

    private async Task RecoverUntilSettledAsync()
    {
        while (true)
        {
            try
            {
                await RecoverAsync();
            }
            catch
            {
                lock (_recoverySync)
                {
                    _recovering = false;
                    _recoveryAgain = false;
                }

                throw;
            }

            lock (_recoverySync)
            {
                var again = _recoveryAgain && !_retired && _connection is null;
                _recoveryAgain = false;
                if (!again)
                {
                    _recovering = false;
                    return;
                }
            }
        }
    }

    /// <summary>Waits for the current connection attempt (used at start-up).</summary>
    public Task WaitForRecoveryAsync()
    {
        lock (_recoverySync)
        {
            return _recovery ?? Task.CompletedTask;
        }
    }

    private void SetState(BackendState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            Interlocked.Increment(ref _stateChanges);
            LastStateChange = _time.GetUtcNow();
            LogStateChanged(_logger, Name, state);
        }
    }

    /// <summary>The command timeout in timestamp units of <paramref name="time"/> (its GetTimestamp).</summary>
    internal static long TimeoutTicks(ProxyOptions options, TimeProvider time) => (long)(options.CommandTimeout.TotalSeconds * time.TimestampFrequency);
}
