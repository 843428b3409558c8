using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Server;

/// <summary>
/// One client connection. Reads every complete request in the buffer, dispatches each to its
/// backends (flushing each backend once per batch), then writes the replies back in request
/// order, however the backends' answers interleave. Requests and their buffers are reused. The
/// replies it holds for its client are bounded by a <see cref="ClientOutputLimit"/>.
/// </summary>
internal sealed partial class ClientSession : IClientConnection
{
    private readonly ProxyContext _context;
    private readonly IDuplexPipe _pipe;
    private readonly ILogger _logger;
    private readonly RequestFrame _frame = new();
    private readonly BackendFlushBatch _flushBatch = new();
    private readonly CommandDispatcher _dispatcher;
    private readonly Queue<ProxyRequest> _inOrder = new();
    private readonly Stack<ProxyRequest> _pool = new();
    private readonly Action _abort;
    private readonly TimeProvider _time;
    private readonly ClientOutputLimit _outputLimit;
    private readonly ClientPushWriter _push;
    private int _aborted;
    private bool _waitingForPause;
    private volatile bool _waitingForBlocked;

    public ClientSession(ProxyContext context, IDuplexPipe pipe, long id, string remote, Action abort, ILogger<ClientSession> logger)
    {
        _context = context;
        _pipe = pipe;
        _logger = logger;
        _abort = abort;
        Client = new ClientState(id, remote, authenticated: context.Users.StartsAuthenticated) { User = context.Users.Default };
        _time = context.Time;
        var pushLimit = new ClientOutputLimit(context.Options.PubSubOutputHardLimit, context.Options.PubSubOutputSoftLimit, context.Options.PubSubOutputSoftTime, _time, OnPushLimitExceeded);
        _push = new ClientPushWriter(pipe.Output, Client, pushLimit);
        _dispatcher = new CommandDispatcher(context, Client, _push);
        ConnectedAt = _time.GetTimestamp();
        LastActivity = ConnectedAt;
        var options = context.Options;
        _outputLimit = new ClientOutputLimit(options.ClientOutputHardLimit, options.ClientOutputSoftLimit, options.ClientOutputSoftTime, _time, OnOutputLimitExceeded);
    }

    public long Id => Client.Id;

    /// <summary>The connection's id, address, name and authentication, shared with the command handlers.</summary>
    public ClientState Client { get; }

    /// <summary>Timestamp (of the context's TimeProvider) of the connection, for the auth deadline.</summary>
    public long ConnectedAt { get; }

    /// <summary>Timestamp (of the context's TimeProvider) of the last request, for the idle timeout.</summary>
    public long LastActivity { get; private set; }

    public bool HasPendingRequests => _inOrder.Count > 0 || Volatile.Read(ref _waitingForPause) || _waitingForBlocked;

    /// <summary>Bytes of replies completed for this client and not yet handed to its socket.</summary>
    public long HeldReplyBytes => _outputLimit.HeldBytes;

    /// <summary>
    /// Closes the connection from outside (timeouts, limits, shutdown); true for the call that
    /// closed it, so that the reason is logged once although the timer sees the session until it ends.
    /// </summary>
    public bool Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return false;
        }

        _abort();
        return true;
    }

    public async Task RunAsync()
    {
        var input = _pipe.Input;
        var output = _pipe.Output;
        var limits = _context.Options.Limits;
        var maxBatch = _context.Options.MaxPipelinePerClient;
        var close = false;
        ReadResult? carried = null;
        SequencePosition resumeAt = default;
        while (!close)
        {
            // A read that watched the connection while a blocking command waited is carried over,
            // and so is its rest after a later stop (see the end of the loop).
            var watched = carried is not null;
            var result = carried ?? await input.ReadAsync();
            var buffer = carried is not null && resumeAt.GetObject() is not null ? result.Buffer.Slice(resumeAt) : result.Buffer;
            carried = null;
            resumeAt = default;
            var heldByPause = false;
            LastActivity = _time.GetTimestamp();
            _push.BeforeDispatch();
            var dispatched = 0;
            var received = 0L;
            ProxyRequest? blocking = null;
            while (dispatched < maxBatch)
            {
                // A request cut short by the end of the buffer stays in _frame half-scanned, and
                // the next read resumes it: the buffer keeps its start (AdvanceTo below).
                var status = RequestReader.TryRead(buffer, _frame, Client.IsAuthenticated ? limits : _context.UnauthenticatedLimits, out var error);
                if (status == RespStatus.NeedMoreData)
                {
                    break;
                }

                // CLIENT PAUSE: the batch ends before a held command, which is read again once
                // the pause is over (it and what follows stay in the input buffer, in order).
                if (status == RespStatus.Complete && _frame.Count > 0 && _context.Pause.IsActive && _dispatcher.MustWaitForPause(_frame))
                {
                    heldByPause = true;
                    break;
                }

                var request = Rent();
                _inOrder.Enqueue(request);
                dispatched++;
                if (status == RespStatus.ProtocolError)
                {
                    _context.Stats.ProtocolError();
                    LogProtocolError(_logger, Id, error!);
                    // The reader's messages are Redis's, which Redis sends after its generic error code.
                    request.CompleteWithError("ERR " + error);
                    request.CloseAfterReply = true;
                    close = true;
                    break;
                }

                received += _frame.ConsumedLength;
                buffer = buffer.Slice(_frame.ConsumedLength);
                if (_frame.Count == 0)
                {
                    // An empty request gets no reply, as in Redis.
                    request.CompleteLocal();
                    request.LocalReply.Reset();
                    continue;
                }

                request.OwnFrame(_frame.DetachRentedBuffer());
                _dispatcher.Dispatch(request, _frame);
                if (request.CloseAfterReply)
                {
                    close = true;
                    break;
                }

                if (request.CancelBlocking is not null)
                {
                    // A blocking command holds the client's later requests until it is answered,
                    // as in Redis: they are read after it (see WaitWhileBlockedAsync).
                    blocking = request;
                    break;
                }
            }

            _flushBatch.FlushAll();
            _context.Stats.CommandsDone(dispatched);

            // Replies go back in request order. The request frames point into the input buffer,
            // which is advanced only after every reply is in (a retry may still need the bytes).
            // Replies are sent together once the whole batch is answered: a pipelining client
            // waits for all of them anyway, and one send per batch beats one per backend.
            var written = 0L;
            var left = false;
            await _push.BeforeRepliesAsync();
            while (_inOrder.TryDequeue(out var request))
            {
                request.OnReached();
                if (!request.IsCompleted && ReferenceEquals(request, blocking))
                {
                    // The replies before it go now; the blocked command is the batch's last.
                    await output.FlushAsync();
                    _outputLimit.Release(written);
                    written = 0;
                    input.AdvanceTo(buffer.Start, buffer.End);
                    (carried, left) = await WaitWhileBlockedAsync(request, input);
                }
                else if (!request.IsCompleted)
                {
                    await request.WaitAsync();
                }

                // A client closed for its output buffer gets nothing more; its requests are
                // still awaited, as the backends hold them until they answer.
                if (!_outputLimit.IsExceeded && !left)
                {
                    request.WriteReply(output);
                }

                written += request.HeldReplyBytes;
                Return(request);
            }

            _context.Stats.Traffic(received, written);
            // Every reply of a batch goes out together, so each request of it took the batch's
            // time; a blocking command's wait is its client's choice, not the proxy's latency.
            if (_context.Stats.RequestDurations is { } durations && blocking is null && dispatched > 0)
            {
                durations.Observe((double)(_time.GetTimestamp() - LastActivity) / _time.TimestampFrequency, dispatched);
            }

            if (carried is not null || left)
            {
                // Advanced while the blocking command waited.
            }
            else if ((dispatched >= maxBatch || blocking is not null || heldByPause) && watched)
            {
                // The read that watched a blocked command examined this buffer to its end, and the
                // pipe does not move the examined position back: the requests left in it are taken
                // from this same read, without advancing it.
                carried = result;
                resumeAt = buffer.Start;
            }
            else if (dispatched >= maxBatch || blocking is not null || heldByPause)
            {
                // Stopped at the pipelining limit, after a blocking command or before a command
                // CLIENT PAUSE holds, with requests still buffered: do not wait for new bytes
                // before reading them.
                input.AdvanceTo(buffer.Start);
            }
            else
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            // The flush returns once the socket took all but the pipe's pause threshold (64 KB):
            // from then on these replies are no longer the proxy's to hold.
            var flushed = await output.FlushAsync();
            _outputLimit.Release(written);
            _push.AfterReplies();

            // Closed from outside (a timeout, the output buffer limit): stop here rather than rely
            // on the transport to end the input.
            if (left || flushed.IsCompleted || Volatile.Read(ref _aborted) != 0 || (result.IsCompleted && !heldByPause && (buffer.IsEmpty || dispatched == 0)))
            {
                break;
            }

            if (heldByPause)
            {
                Volatile.Write(ref _waitingForPause, true);
                await _context.Pause.WaitAsync();
                Volatile.Write(ref _waitingForPause, false);
            }
        }
    }

    /// <summary>
    /// Waits for a blocking command's reply while watching the connection: the client leaving
    /// (end of its input, a reset, the proxy closing it) cancels the wait, as Redis does; requests
    /// it sends meanwhile stay in the input, unread, until the reply. Returns the read to carry
    /// over into the next batch, or that the client left. Call with the input advanced (examined to its end).
    /// </summary>
    private async Task<(ReadResult? Carried, bool Left)> WaitWhileBlockedAsync(ProxyRequest request, PipeReader input)
    {
        var reply = request.WaitAsync().AsTask();
        _waitingForBlocked = true;
        try
        {
            var read = input.ReadAsync().AsTask();
            while (true)
            {
                await Task.WhenAny(reply, read);
                if (reply.IsCompleted)
                {
                    // Take the watching read back for the next batch.
                    if (!read.IsCompleted)
                    {
                        input.CancelPendingRead();
                    }

                    return (await read, false);
                }

                var result = await read;
                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                if (result.IsCompleted)
                {
                    LogLeftWhileBlocked(_logger, Id);
                    request.CancelBlocking!();
                    await reply;
                    return (null, true);
                }

                read = input.ReadAsync().AsTask();
            }
        }
        finally
        {
            _waitingForBlocked = false;
            if (!reply.IsCompleted)
            {
                // The connection failed under the read: the wait must not outlive the client.
                request.CancelBlocking!();
                await reply;
            }
        }
    }

    /// <summary>Called by the proxy's timer: closes the client if its replies stayed over the soft limit too long.</summary>
    public void CheckOutputLimit(long now)
    {
        _outputLimit.Check(now);
        _push.CheckOutputLimit(now);
    }

    /// <summary>
    /// Called once the connection ended: releases what the client held on the nodes (a WATCH's
    /// connection, its subscriptions); later messages for it are dropped.
    /// </summary>
    public void OnClosed()
    {
        _push.Close();
        _dispatcher.OnClientClosed();
    }

    /// <summary>Messages queued for a subscriber that does not read passed the pub/sub output limit (proxy/PubSub).</summary>
    private void OnPushLimitExceeded(long heldBytes, long limitBytes, bool soft)
    {
        _context.Stats.OutputBufferLimitReached();
        LogPubSubOutputLimit(_logger, Id, Client.Remote, heldBytes, limitBytes, soft ? "soft" : "hard");

        // Called on a node's subscriber thread, in the middle of a delivery: the close runs apart.
        ThreadPool.QueueUserWorkItem(static session => _ = session.Abort(), this, preferLocal: false);
    }

    private void OnOutputLimitExceeded(long heldBytes, long limitBytes, bool soft)
    {
        _context.Stats.OutputBufferLimitReached();
        if (soft)
        {
            LogSoftOutputLimit(_logger, Id, Client.Remote, heldBytes, limitBytes, _context.Options.ClientOutputSoftTime.TotalSeconds);
        }
        else
        {
            LogHardOutputLimit(_logger, Id, Client.Remote, heldBytes, limitBytes);
        }

        Abort();
    }

    private ProxyRequest Rent() => _pool.TryPop(out var request) ? request : new ProxyRequest(_flushBatch, _outputLimit);

    private void Return(ProxyRequest request)
    {
        request.Reset();
        if (_pool.Count < 64)
        {
            _pool.Push(request);
        }
    }
}
