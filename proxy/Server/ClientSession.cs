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
internal sealed partial class ClientSession
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
    private int _aborted;

    public ClientSession(ProxyContext context, IDuplexPipe pipe, long id, string remote, Action abort, ILogger<ClientSession> logger)
    {
        _context = context;
        _pipe = pipe;
        _logger = logger;
        _abort = abort;
        Client = new ClientState(id, remote, authenticated: context.PasswordBytes is null);
        _dispatcher = new CommandDispatcher(context, Client);
        _time = context.Time;
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

    public bool HasPendingRequests => _inOrder.Count > 0;

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
        while (!close)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            LastActivity = _time.GetTimestamp();
            var dispatched = 0;
            while (dispatched < maxBatch)
            {
                // A request cut short by the end of the buffer stays in _frame half-scanned, and
                // the next read resumes it: the buffer keeps its start (AdvanceTo below).
                var status = RequestReader.TryRead(buffer, _frame, Client.IsAuthenticated ? limits : _context.UnauthenticatedLimits, out var error);
                if (status == RespStatus.NeedMoreData)
                {
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
            }

            _flushBatch.FlushAll();
            _context.Stats.CommandsDone(dispatched);

            // Replies go back in request order. The request frames point into the input buffer,
            // which is advanced only after every reply is in (a retry may still need the bytes).
            // Replies are sent together once the whole batch is answered: a pipelining client
            // waits for all of them anyway, and one send per batch beats one per backend.
            var written = 0L;
            while (_inOrder.TryDequeue(out var request))
            {
                request.OnReached();
                if (!request.IsCompleted)
                {
                    await request.WaitAsync();
                }

                // A client closed for its output buffer gets nothing more; its requests are
                // still awaited, as the backends hold them until they answer.
                if (!_outputLimit.IsExceeded)
                {
                    request.WriteReply(output);
                }

                written += request.HeldReplyBytes;
                Return(request);
            }

            if (dispatched >= maxBatch)
            {
                // Stopped at the pipelining limit with requests still buffered: do not wait for
                // new bytes before reading them.
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

            // Closed from outside (a timeout, the output buffer limit): stop here rather than rely
            // on the transport to end the input.
            if (flushed.IsCompleted || Volatile.Read(ref _aborted) != 0 || (result.IsCompleted && (buffer.IsEmpty || dispatched == 0)))
            {
                break;
            }
        }
    }

    /// <summary>Called once the connection ended: releases what the client held on the nodes (a WATCH's connection).</summary>
    public void OnClosed() => _dispatcher.OnClientClosed();

    /// <summary>Called by the proxy's timer: closes the client if its replies stayed over the soft limit too long.</summary>
    public void CheckOutputLimit(long now) => _outputLimit.Check(now);

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
