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
    private readonly long _commandTimeoutTicks;
    private readonly long _livenessTicks;
    private readonly long _longLivenessTicks;
    private long _divergedCopies;

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
        _commandTimeoutTicks = Ticks(options.CommandTimeout, time);
        _livenessTicks = Ticks(options.LivenessTimeout, time);
        _longLivenessTicks = Ticks(options.LongCommandLivenessTimeout, time);
        _lastProbeAnswer = long.MinValue / 2;
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

    /// <summary>
    /// How long the node took to answer each command, from its queuing to its reply (set by
    /// proxy/Admin when the admin port is on, through <see cref="BackendNodeFactory"/>; null otherwise).
    /// </summary>
    public Prometheus.Histogram.Child? ReplyDurations { get; set; }

    public int PendingCount => _connection?.PendingCount ?? 0;

    /// <summary>Queues a command on the live connection; false when there is none or it is full.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> command, ICallTarget target, int tag, bool mayRunLong = false)
    {
        var connection = _connection;
        return connection is not null && connection.TryEnqueue(command, target, tag, mayRunLong);
    }

    /// <summary>Queues an uninterrupted block of commands (see <see cref="BackendConnection.TryEnqueueBlock"/>).</summary>
    public bool TryEnqueueBlock(ReadOnlySpan<byte> commands, int replies, ICallTarget target, int tag, bool mayRunLong = false)
    {
        var connection = _connection;
        return connection is not null && connection.TryEnqueueBlock(commands, replies, target, tag, mayRunLong);
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

    /// <summary>Writes this copy answered differently from the copy the client's reply came from (an error where another copy succeeded, or a timeout).</summary>
    public long DivergedCopies => Interlocked.Read(ref _divergedCopies);

    /// <summary>
    /// This copy missed or refused a write other copies took (a server-state error such as OOM or
    /// NOSCRIPT, a command error where another copy succeeded, a timeout): its copies of
    /// <paramref name="keys"/> are replayed from a readable copy, and until then it serves no
    /// reads, so that no client reads the value the write did not change here.
    /// </summary>
    public void RepairKeys(List<ReadOnlyMemory<byte>> keys)
    {
        Interlocked.Increment(ref _divergedCopies);
        foreach (var key in keys)
        {
            Hints.Add(key.Span);
        }

        lock (_recoverySync)
        {
            if (_retired || _recovering || !IsConnected || State != BackendState.Up)
            {
                // A recovery or catch-up in progress replays the hints; a node needing a repair gets one.
                return;
            }

            _recovering = true;
            SetState(BackendState.CatchingUp);
            _recovery = Task.Run(CatchUpThenSettleAsync);
        }
    }

    private async Task CatchUpThenSettleAsync()
    {
        try
        {
            await CatchUpAsync();
        }
        finally
        {
            bool again;
            lock (_recoverySync)
            {
                _recovering = false;
                again = _recoveryAgain && !_retired && _connection is null;
                _recoveryAgain = false;
            }

            if (again)
            {
                StartRecovery();
            }
        }
    }

    /// <summary>Sends a command on the proxy's own behalf and waits for its raw reply (null on failure).</summary>
    public async Task<byte[]?> ExecuteAsync(byte[] command, TimeSpan? timeout = null, bool mayRunLong = false)
    {
        var call = new InternalCall();
        if (!TryEnqueue(command, call, 0, mayRunLong))
        {
            return null;
        }

        Flush();
        try
        {
            return await call.Reply.WaitAsync(timeout ?? _options.CommandTimeout, _time);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    internal void OnConnectionClosed(BackendConnection connection, string reason)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return;
        }

        LastError = reason;
        _stalled = false;
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

    /// <summary><paramref name="span"/> in timestamp units of <paramref name="time"/> (its GetTimestamp).</summary>
    private static long Ticks(TimeSpan span, TimeProvider time) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
