using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Resp3;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// One command from a client, from dispatch until its reply is written back in order. The
/// session awaits it as a <see cref="ValueTask"/> backed by this reusable object, so the hot path
/// allocates nothing per command. Completion may come from any backend's read loop.
/// </summary>
internal sealed class ProxyRequest : IValueTaskSource
{
    private readonly List<SubRequest> _subRequests = [];
    private readonly PooledBufferWriter _local = new();
    private readonly List<ReadOnlyMemory<byte>> _scratchElements = [];
    private readonly ClientOutputLimit _outputLimit;
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _subRequestCount;
    private int _outstanding;
    private ReplyMerge _merge;
    private (int SubRequest, int Element)[] _positions = [];
    private int _positionCount;
    private byte[]? _ownedFrame;

    public ProxyRequest(BackendFlushBatch flushBatch, ClientOutputLimit outputLimit)
    {
        FlushBatch = flushBatch;
        _outputLimit = outputLimit;
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>The session's set of backends to flush after the current batch.</summary>
    public BackendFlushBatch FlushBatch { get; }

    /// <summary>The size of the reply, held in the session's <see cref="ClientOutputLimit"/> from completion until the session sent it.</summary>
    public int HeldReplyBytes { get; private set; }

    /// <summary>The session closes the connection after writing this reply (QUIT, protocol error).</summary>
    public bool CloseAfterReply { get; set; }

    /// <summary>How many copies acknowledged the client's writes, for WAIT (set by the dispatcher).</summary>
    public WriteAcknowledgements? Acks { get; set; }

    /// <summary>
    /// Run by the session when every request before this one has completed, just before it waits
    /// for this one (WAIT answers then, once the client's earlier writes are acknowledged).
    /// </summary>
    public Action<ProxyRequest>? WhenReached { get; set; }

    /// <summary>Called by the session in reply order: runs <see cref="WhenReached"/> once.</summary>
    public void OnReached()
    {
        if (WhenReached is { } action)
        {
            WhenReached = null;
            action(this);
        }
    }

    /// <summary>How the reply is rewritten for a RESP3 client (set by the dispatcher); <see cref="ReplyShape.Resp2"/> sends it as is.</summary>
    public ReplyShape ReplyShape { get; set; }

    /// <summary>
    /// Set while a blocking command (BLPOP, XREAD BLOCK ...) waits: cancels the wait when its
    /// client leaves. The session reads no further request of the client until it is answered.
    /// </summary>
    public Action? CancelBlocking { get; set; }

    /// <summary>The reply as the session will write it: valid once completed.</summary>
    public ReadOnlyMemory<byte> ReplyBytes => _merge == ReplyMerge.Single ? _subRequests[0].Reply : _local.WrittenMemory;

    /// <summary>A buffer for replies the proxy writes itself.</summary>
    public PooledBufferWriter LocalReply => _local;

    public bool IsCompleted => _core.GetStatus(_core.Version) != ValueTaskSourceStatus.Pending;

    public ValueTask WaitAsync() => new(this, _core.Version);

    /// <summary>Keeps a rented copy of the request's bytes alive until the reply is written.</summary>
    public void OwnFrame(byte[]? rented) => _ownedFrame = rented;

    public SubRequest AddSubRequest()
    {
        if (_subRequestCount == _subRequests.Count)
        {
            _subRequests.Add(new SubRequest());
        }

        return _subRequests[_subRequestCount++];
    }

    public int SubRequestCount => _subRequestCount;

    public SubRequest GetSubRequest(int index) => _subRequests[index];

    /// <summary>Records where element <paramref name="element"/> of sub-request <paramref name="subRequest"/> goes in an MGET reply.</summary>
    public void AddPosition(int subRequest, int element)
    {
        if (_positionCount == _positions.Length)
        {
            Array.Resize(ref _positions, Math.Max(8, _positions.Length * 2));
        }

        _positions[_positionCount++] = (subRequest, element);
    }

    /// <summary>Starts every sub-request; the request completes when the last one is done.</summary>
    public void Start(ReplyMerge merge)
    {
        _merge = merge;
        _outstanding = _subRequestCount;
        for (var i = 0; i < _subRequestCount; i++)
        {
            _subRequests[i].Start();
        }
    }

    /// <summary>Completes a request whose reply the proxy wrote into <see cref="LocalReply"/>.</summary>
    public void CompleteLocal()
    {
        _merge = ReplyMerge.Local;
        HoldReply();
        _core.SetResult(true);
    }

    /// <summary>Completes a request with an error reply.</summary>
    public void CompleteWithError(string message)
    {
        _local.Reset();
        RespWriter.WriteError(_local, message);
        CompleteLocal();
    }

    internal void OnSubRequestDone()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            if (_merge is ReplyMerge.MultiGet or ReplyMerge.SumIntegers or ReplyMerge.AllOk)
            {
                Merge();
                _merge = ReplyMerge.Local;
            }

            HoldReply();
            _core.SetResult(true);
        }
    }

    /// <summary>
    /// Keeps a backend's reply for the client in <paramref name="target"/>, unless the client was
    /// closed for its output buffer: then the reply is dropped, so that the replies still coming
    /// for a client that never reads take no memory.
    /// </summary>
    public void StoreReply(PooledBufferWriter target, in ReadOnlySequence<byte> reply)
    {
        if (!_outputLimit.IsExceeded)
        {
            target.Write(reply);
        }
    }

    public void WriteReply(PipeWriter output)
    {
        var reply = _merge == ReplyMerge.Single ? _subRequests[0].Reply.Span : _local.WrittenSpan;
        if (ReplyShape == ReplyShape.Resp2)
        {
            output.Write(reply);
        }
        else
        {
            Resp3Converter.Write(output, reply, ReplyShape);
        }
    }

    public void Reset()
    {
        _core.Reset();
        for (var i = 0; i < _subRequestCount; i++)
        {
            _subRequests[i].ReleaseBuffers();
        }

        _subRequestCount = 0;
        _positionCount = 0;
        _local.Reset();
        CloseAfterReply = false;
        ReplyShape = ReplyShape.Resp2;
        CancelBlocking = null;
        HeldReplyBytes = 0;
        WhenReached = null;
        if (_ownedFrame is not null)
        {
            ByteArrayPool.Shared.Return(_ownedFrame);
            _ownedFrame = null;
        }
    }

    /// <summary>Counts the complete reply against the client's limit before the request shows complete, so the session never releases bytes not counted yet.</summary>
    private void HoldReply()
    {
        HeldReplyBytes = _merge == ReplyMerge.Single ? _subRequests[0].Reply.Length : _local.WrittenCount;
        _outputLimit.Hold(HeldReplyBytes);
    }

    private void Merge()
    {
        _local.Reset();
        for (var i = 0; i < _subRequestCount; i++)
        {
            var reply = _subRequests[i].Reply;
            if (RespReply.IsError(reply.Span))
            {
                _local.Write(reply.Span);
                return;
            }
        }

        switch (_merge)
        {
            case ReplyMerge.SumIntegers:
                long total = 0;
                for (var i = 0; i < _subRequestCount; i++)
                {
                    if (!RespReply.TryGetInteger(_subRequests[i].Reply.Span, out var value))
                    {
                        RespWriter.WriteError(_local, "ERR unexpected reply from a backend");
                        return;
                    }

                    total += value;
                }

                RespWriter.WriteInteger(_local, total);
                break;
            case ReplyMerge.AllOk:
                RespWriter.WriteSimpleString(_local, "OK");
                break;
            case ReplyMerge.MultiGet:
                MergeMultiGet();
                break;
        }
    }

    private void MergeMultiGet()
    {
        // Split each part once, then emit values in the order the client asked for them.
        var parts = new List<ReadOnlyMemory<byte>>[_subRequestCount];
        for (var i = 0; i < _subRequestCount; i++)
        {
            parts[i] = i == 0 ? _scratchElements : [];
            if (!RespReply.TrySplitArray(_subRequests[i].Reply, parts[i]))
            {
                RespWriter.WriteError(_local, "ERR unexpected reply from a backend");
                return;
            }
        }

        RespWriter.WriteArrayHeader(_local, _positionCount);
        for (var i = 0; i < _positionCount; i++)
        {
            var (sub, element) = _positions[i];
            if (element >= parts[sub].Count)
            {
                _local.Reset();
                RespWriter.WriteError(_local, "ERR unexpected reply from a backend");
                return;
            }

            _local.Write(parts[sub][element].Span);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
