using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Transport;
using RedisRing.Resp;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// One pipelined connection to a backend, shared by every client: commands are written in the
/// order they are queued and replies are matched to them first-in first-out, as Redis answers in
/// order. A command unanswered past the per-command timeout fails alone: its caller is told, the
/// connection stays open and the late reply is dropped when it comes. Any failure of the
/// connection itself (reset, protocol error, a failed liveness check) closes it and fails every
/// command still waiting, so that callers can retry them elsewhere.
/// </summary>
internal sealed class BackendConnection
{
    // Writes never wait on the socket: the bound is the number of queued commands instead, which
    // the caller sees as a failed enqueue. That lets writers hold a short lock while writing.
    internal static PipeOptions SendOptions { get; } = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    internal static PipeOptions ReceiveOptions { get; } = new(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024, pool: BlockMemoryPool.Instance, minimumSegmentSize: BlockMemoryPool.BlockSize, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly object _sync = new();
    private readonly InFlightQueue _inFlight = new();
    private PooledBufferWriter _queued = new();
    private PooledBufferWriter _sending = new();
    private int _flushing;
    // Commands queued but not yet sent, and sent but not yet answered (both under _sync).
    private int _unsent;
    private int _awaiting;
    // The oldest entries of _inFlight whose callers were already failed by the per-command
    // timeout: their replies are read and dropped (under _sync).
    private int _abandoned;
    // When bytes last arrived from the server (TimeProvider timestamp), for the liveness check.
    // Bytes we send are no evidence: the kernel takes them into a stopped server's socket buffer.
    private long _lastReceived;
    private readonly IConnection _connection;
    private readonly PipeWriter _output;
    private readonly int _maxPending;
    private readonly TimeProvider _time;
    private bool _closed;

    // How far the read loop got into a reply that has not fully arrived: a long reply (LRANGE of
    // 300,000 elements) arrives in hundreds of receives, and rescanning it from its first byte on
    // each one took time quadratic in its length.
    private ReplyScanState _replyScan;

    private BackendConnection(BackendNode node, IConnection connection, int maxPending, TimeProvider time)
    {
        Node = node;
        _connection = connection;
        _output = connection.Output;
        _maxPending = maxPending;
        _time = time;
        _lastReceived = time.GetTimestamp();
    }

    public BackendNode Node { get; }

    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Opens a connection to <paramref name="node"/> through <paramref name="connector"/> and starts reading replies.</summary>
    public static async Task<BackendConnection> ConnectAsync(BackendNode node, IBackendConnector connector, TimeProvider time, TimeSpan timeout, int maxPending, CancellationToken cancellationToken)
    {
        var connection = await connector.ConnectAsync(node.Endpoint, node.Name, timeout, cancellationToken);
        var backend = new BackendConnection(node, connection, maxPending, time);
        _ = backend.ReadLoopAsync();
        return backend;
    }

    /// <summary>
    /// Queues a command without flushing it. False when the connection is closed or its queue is
    /// full; the caller then treats this copy as failed. Only a memory copy happens under the lock;
    /// the socket send happens in <see cref="Flush"/>, outside it. <paramref name="mayRunLong"/>
    /// marks a command that may hold the server for long (see <see cref="InFlightCall"/>).
    /// </summary>
    public bool TryEnqueue(ReadOnlySpan<byte> command, ICallTarget target, int tag, bool mayRunLong = false)
    {
        lock (_sync)
        {
            if (_closed || _inFlight.Count >= _maxPending)
            {
                return false;
            }

            _queued.Write(command);
            _inFlight.Enqueue(new InFlightCall(target, tag, _time.GetTimestamp(), mayRunLong));
            _unsent++;
            return true;
        }
    }

    /// <summary>
    /// Queues several commands as one uninterrupted block (a transaction: MULTI, its commands,
    /// EXEC), so that no other client's command lands between them on this shared connection.
    /// Only the last reply goes to <paramref name="target"/>; the earlier ones (+OK, +QUEUED) are
    /// read and dropped, since EXEC's reply says whether the block ran. False as for <see cref="TryEnqueue"/>.
    /// </summary>
    public bool TryEnqueueBlock(ReadOnlySpan<byte> commands, int replies, ICallTarget target, int tag, bool mayRunLong = false)
    {
        lock (_sync)
        {
            if (_closed || _inFlight.Count + replies > _maxPending)
            {
                return false;
            }

            _queued.Write(commands);
            var now = _time.GetTimestamp();
            for (var i = 0; i < replies - 1; i++)
            {
                _inFlight.Enqueue(new InFlightCall(DroppedReply.Instance, 0, now, mayRunLong));
            }

            _inFlight.Enqueue(new InFlightCall(target, tag, now, mayRunLong));
            _unsent += replies;
            return true;
        }
    }

    /// <summary>
    /// Hands queued commands to the socket, paced by the server's replies: while a sent batch is
    /// unanswered, new commands wait and go out together as soon as its last reply is read (the
    /// read loop sends them). So under load each round trip carries every command that arrived
    /// meanwhile, the way twemproxy batches a server's writes per event-loop pass: one send and one
    /// server wake-up for many clients instead of one each, for the proxy and for Redis alike.
    /// An idle connection sends at once, so a lone request waits for nothing. One thread sends at a
    /// time; commands queued while it is in the send call go out with its next send, and no lock
    /// is held during a send.
    /// </summary>
    public void Flush()
    {
        while (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            try
            {
                while (true)
                {
                    PooledBufferWriter batch;
                    lock (_sync)
                    {
                        if (_closed || _queued.WrittenCount == 0 || _awaiting > 0)
                        {
                            break;
                        }

                        _awaiting += _unsent;
                        _unsent = 0;
                        batch = _queued;
                        _queued = _sending;
                        _sending = batch;
                    }

                    _output.Write(batch.WrittenSpan);
                    batch.Reset();
                    var flush = _output.FlushAsync();
                    if (!flush.IsCompleted)
                    {
                        _ = flush.AsTask();
                    }
                }
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or IOException)
            {
                // The pipe was completed by a close on another thread; the close fails the queue.
            }
            finally
            {
                Volatile.Write(ref _flushing, 0);
            }

            // A writer that found us sending left its bytes for us: look again now that the flag
            // is down, or they could wait for the next flush.
            lock (_sync)
            {
                if (_closed || _queued.WrittenCount == 0 || _awaiting > 0)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Fails, without closing the connection, every command that has waited longer than
    /// <paramref name="timeoutTicks"/>: they are the oldest ones, as commands are queued in time
    /// order, and they stay in the queue (abandoned) until their replies come and are dropped.
    /// Returns the callers to notify (outside the lock), or null when none.
    /// </summary>
    public List<InFlightCall>? ExpireOverdue(long now, long timeoutTicks)
    {
        List<InFlightCall>? expired = null;
        lock (_sync)
        {
            while (_abandoned < _inFlight.Count && now - _inFlight[_abandoned].Started > timeoutTicks)
            {
                (expired ??= []).Add(_inFlight[_abandoned]);
                _abandoned++;
            }
        }

        return expired;
    }

    /// <summary>
    /// How long (in timestamp ticks) the server has sent nothing while owing replies: the time
    /// since the later of the last bytes received and the oldest waiting command; 0 when it owes
    /// nothing. <paramref name="oldestMayRunLong"/> tells whether that oldest command may
    /// legitimately keep the server silent for long.
    /// </summary>
    public long Silence(long now, out bool oldestMayRunLong)
    {
        lock (_sync)
        {
            if (_inFlight.Count == 0)
            {
                oldestMayRunLong = false;
                return 0;
            }

            ref readonly var oldest = ref _inFlight[0];
            oldestMayRunLong = oldest.MayRunLong;
            return now - Math.Max(Volatile.Read(ref _lastReceived), oldest.Started);
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_sync)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Closes the connection and fails every unanswered command. Idempotent.</summary>
    public void Close(string reason)
    {
        InFlightCall[] failed;
        int abandoned;
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            failed = _inFlight.DrainAll();
            abandoned = _abandoned;
            _abandoned = 0;
        }

        try
        {
            _connection.Dispose();
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Already torn down by the peer.
        }

        // The node learns first, so that retries triggered below already skip it.
        Node.OnConnectionClosed(this, reason);
        // The abandoned ones were already failed by their timeout.
        foreach (var call in failed.AsSpan(abandoned))
        {
            call.Target.OnFailure(call.Tag, Node);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _connection.Input;
        var reason = "connection closed by the server";
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                var receivedAt = _time.GetTimestamp();
                Volatile.Write(ref _lastReceived, receivedAt);
                var durations = Node.ReplyDurations;
                if (Node.IsStalled)
                {
                    Node.OnDataArrived();
                }

                var sendHeld = false;
                while (!buffer.IsEmpty)
                {
                    var status = ReplyScanner.TryScan(buffer, ref _replyScan, out var length);
                    if (status == RespStatus.NeedMoreData)
                    {
                        break;
                    }

                    _replyScan.Reset();

                    if (status == RespStatus.ProtocolError)
                    {
                        reason = "protocol error in a reply from the server";
                        return;
                    }

                    InFlightCall call;
                    bool dropped;
                    lock (_sync)
                    {
                        if (_closed)
                        {
                            return;
                        }

                        if (!_inFlight.TryDequeue(out call))
                        {
                            reason = "reply without a request";
                            return;
                        }

                        sendHeld = --_awaiting == 0 && _unsent > 0;
                        dropped = _abandoned > 0;
                        if (dropped)
                        {
                            _abandoned--;
                        }
                    }

                    durations?.Observe((double)(receivedAt - call.Started) / _time.TimestampFrequency);
                    if (!dropped)
                    {
                        call.Target.OnReply(call.Tag, Node, buffer.Slice(0, length));
                    }

                    buffer = buffer.Slice(length);
                }

                if (IsClosed)
                {
                    return;
                }

                if (sendHeld)
                {
                    Flush();
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or ConnectionResetException or ConnectionAbortedException)
        {
            reason = e.Message;
        }
        finally
        {
            Close(reason);
        }
    }
}
