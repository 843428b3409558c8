using System.Buffers;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// One command sent to one replica set on behalf of a client request: a read with immediate
/// failover, a write to every copy, or a two-step deterministic rewrite. Reused across requests;
/// the owner resets it only after it is done, when no backend holds a reference to it.
/// </summary>
internal sealed partial class SubRequest : ICallTarget, IGatedCommand
{
    // Commands larger than this get the liveness check's long allowance, like scripts.
    private const int LargeCommandBytes = 1024 * 1024;

    private readonly PooledBufferWriter _ownedCommand = new();
    private readonly PooledBufferWriter _reply = new();
    private readonly List<ReadOnlyMemory<byte>> _keys = new(4);
    private readonly object _sync = new();
    private ProxyRequest _owner = null!;
    private RoutingTable _table = null!;
    private ReplicaSet _set = null!;
    private ReadOnlyMemory<byte> _command;
    private SubRequestKind _kind;
    private int _remaining;
    private int _bestIndex;
    private bool _hasReply;
    private bool _mayRunLong;
    private FirstCopyRewrite _rewrite;
    private ScriptCache? _scripts;
    private CopyOutcome[] _outcomes = new CopyOutcome[4];
    private int _scriptRetried;
    private bool _timedOut;
    private string _timedOutNode = string.Empty;

    /// <summary>The reply chosen for the client: valid once done.</summary>
    public ReadOnlyMemory<byte> Reply => _reply.WrittenMemory;

    public void Initialize(ProxyRequest owner, RoutingTable table, ReplicaSet set, SubRequestKind kind, FirstCopyRewrite rewrite = FirstCopyRewrite.SpopMembers)
    {
        _rewrite = rewrite;
        _owner = owner;
        _table = table;
        _set = set;
        _kind = kind;
        _command = default;
        _keys.Clear();
        _ownedCommand.Reset();
        _reply.Reset();
        _hasReply = false;
        _bestIndex = int.MaxValue;
        _mayRunLong = false;
        _scripts = null;
        _scriptRetried = 0;
        _timedOut = false;
        if (_outcomes.Length < set.Writes.Length)
        {
            _outcomes = new CopyOutcome[set.Writes.Length];
        }

        Array.Clear(_outcomes);
    }

    /// <summary>The command may hold Redis for long (see <see cref="Commands.CommandInfo.MayRunLong"/>).</summary>
    public void MarkMayRunLong() => _mayRunLong = true;

    /// <summary>An EVALSHA: a copy that answers NOSCRIPT runs the body from <paramref name="scripts"/> instead.</summary>
    public void UseScriptCache(ScriptCache scripts) => _scripts = scripts;

    /// <summary>Sends the client's own bytes (no rewrite needed).</summary>
    public void UseCommand(ReadOnlyMemory<byte> command) => _command = command;

    /// <summary>A buffer to write a rewritten command into; then call <see cref="UseOwnedCommand"/>.</summary>
    public PooledBufferWriter CommandWriter => _ownedCommand;

    public void UseOwnedCommand() => _command = _ownedCommand.WrittenMemory;

    /// <summary>Keys this command writes: recorded as hints for copies that miss the write.</summary>
    public void AddKey(ReadOnlyMemory<byte> key) => _keys.Add(key);

    public void Start()
    {
        if (_command.Length > LargeCommandBytes)
        {
            // A node takes a while to read and store a large value, and answers nothing (PING
            // included) while a loaded machine gives it little CPU: the long allowance applies.
            _mayRunLong = true;
        }

        var gate = _table.Gates[_set.Id];
        if (_kind == SubRequestKind.Read && !gate.HasBarrier)
        {
            // Reads need no cross-copy ordering: skip the lock unless a rewrite is in progress.
            SendRead(0, deferFlush: true);
            return;
        }

        gate.StartOrPark(this);
    }

    public void StartUnderGate(ReplicaSetGate gate, bool deferFlush)
    {
        switch (_kind)
        {
            case SubRequestKind.Read:
                SendRead(0, deferFlush);
                break;
            case SubRequestKind.Write:
                SendWrite(deferFlush);
                break;
            case SubRequestKind.PopThenRemove:
                gate.Raise();
                SendRead(0, deferFlush);
                break;
        }
    }

    private void SendRead(int firstCopy, bool deferFlush)
    {
        // A stalled copy (silent while owing replies) is read only when no other copy is readable:
        // it may be running a slow command, and this read would wait behind it.
        var copies = _set.Reads;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = firstCopy; i < copies.Length; i++)
            {
                var node = _table.Backends[copies[i]];
                if (!node.IsReadable || (pass == 0 && node.IsStalled))
                {
                    continue;
                }

                if (node.TryEnqueue(_command.Span, this, i, _mayRunLong))
                {
                    Flush(node, deferFlush);
                    return;
                }
            }
        }

        SetError("CLUSTERDOWN no readable copy of this key is reachable");
        if (_kind == SubRequestKind.PopThenRemove)
        {
            _table.Gates[_set.Id].Lower(static () => { });
        }

        _owner.OnSubRequestDone();
    }

    private void SendWrite(bool deferFlush)
    {
        // Every copy that takes writes, including joining nodes that serve no reads yet.
        var copies = _set.Writes;
        if (copies.IsEmpty)
        {
            // A ring from ZooKeeper with no node registered yet.
            SetError("CLUSTERDOWN the ring has no node for this key");
            _owner.OnSubRequestDone();
            return;
        }

        _remaining = copies.Length;
        for (var i = 0; i < copies.Length; i++)
        {
            var node = _table.Backends[copies[i]];
            if (node.State == BackendState.CatchingUp)
            {
                // The node may restore an older value of these keys after this write: replay
                // them once more before it serves reads (see BackendNode.CatchUpAsync).
                RecordHints(node);
            }

            if (i >= _set.Reads.Length && node.WarmUp.Generation != 0)
            {
                // A copy that serves no reads of this key yet (a joining node, or a future owner
                // while another node drains), being filled: this write may cross the copy of its key.
                foreach (var key in _keys)
                {
                    node.WarmUp.OnWrite(key.Span);
                }
            }

            if (node.TryEnqueue(_command.Span, this, i, _mayRunLong))
            {
                Flush(node, deferFlush);
            }
            else
            {
                _outcomes[i] = CopyOutcome.Failed;
                RecordHints(node);
                node.CountWriteCopyFailure();
                CopyFinished();
            }
        }
    }

    private void Flush(BackendNode node, bool deferFlush)
    {
        if (deferFlush)
        {
            _owner.FlushBatch.Add(node);
        }
        else
        {
            node.Flush();
        }
    }

    public void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply)
    {
        switch (_kind)
        {
            case SubRequestKind.Read:
                if (tag + 1 < _set.Reads.Length && CopyReplies.Classify(reply) == CopyOutcome.ServerError)
                {
                    // A server loading its data, busy with a script, out of memory or without the
                    // script has nothing to give: read the next copy.
                    node.CountReadFailover();
                    SendRead(tag + 1, deferFlush: false);
                    return;
                }

                _owner.StoreReply(_reply, reply);
                _hasReply = true;
                _owner.OnSubRequestDone();
                break;
            case SubRequestKind.Write:
                var outcome = CopyReplies.Classify(reply);
                if (outcome == CopyOutcome.ServerError && _scripts is not null && CopyReplies.IsNoScript(reply) && TryRunScriptBody(tag, node))
                {
                    return;
                }

                _outcomes[tag] = outcome;
                if (outcome == CopyOutcome.ServerError)
                {
                    node.CountWriteCopyFailure();
                }

                // The client gets a success whenever a copy that serves reads succeeded, and among
                // equals the reply of the first copy reads would go to. A joining or restarted
                // copy comes last, success or not: it may not hold the key yet, so its INCR or
                // EXPIRE answers wrongly (an INCR of a key it lacks succeeds where the complete
                // copies answer "not an integer").
                var copies = _set.Writes.Length;
                var readable = _table.IsReadable(_set.Writes[tag]);
                var rank = (readable ? 0 : 2 * copies) + (outcome == CopyOutcome.Success ? 0 : copies) + tag;
                lock (_sync)
                {
                    if (rank < _bestIndex)
                    {
                        _reply.Reset();
                        _reply.Write(reply);
                        _bestIndex = rank;
                        _hasReply = true;
                    }
                }

                CopyFinished();
                break;
            case SubRequestKind.PopThenRemove:
                _reply.Write(reply);
                _hasReply = true;
                ReplicateToOtherCopies(tag);
                _owner.OnSubRequestDone();
                break;
        }
    }

    public void OnFailure(int tag, BackendNode node)
    {
        switch (_kind)
        {
            case SubRequestKind.Read:
                node.CountReadFailover();
                SendRead(tag + 1, deferFlush: false);
                break;
            case SubRequestKind.Write:
                _outcomes[tag] = CopyOutcome.Failed;
                RecordHints(node);
                node.CountWriteCopyFailure();
                CopyFinished();
                break;
            case SubRequestKind.PopThenRemove:
                // It may have popped there before failing: that copy must be caught up later.
                RecordHints(node);
                node.CountReadFailover();
                SendRead(tag + 1, deferFlush: false);
                break;
        }
    }

    public void OnTimeout(int tag, BackendNode node)
    {
        // Slow is not dead: a read is not retried elsewhere just because it is slow (it would
        // load the next copy with the same slow command); the client gets a timeout error.
        _timedOutNode = node.Name;
        switch (_kind)
        {
            case SubRequestKind.Read:
                SetError(TimeoutError());
                _owner.OnSubRequestDone();
                break;
            case SubRequestKind.Write:
                _timedOut = true;
                _outcomes[tag] = CopyOutcome.TimedOut;
                node.CountWriteCopyFailure();
                CopyFinished();
                break;
            case SubRequestKind.PopThenRemove:
                // It may still pop there: that copy is replayed from another one.
                node.RepairKeys(_keys);
                SetError(TimeoutError());
                _table.Gates[_set.Id].Lower(static () => { });
                _owner.OnSubRequestDone();
                break;
        }
    }

    private string TimeoutError() => $"TIMEOUT no reply from node {_timedOutNode} within commandTimeoutMs; the command may still run there";

    private void CopyFinished()
    {
        if (Interlocked.Decrement(ref _remaining) != 0)
        {
            return;
        }

        var copies = _set.Writes.Length;
        if (!_hasReply)
        {
            SetError(_timedOut ? TimeoutError() : "CLUSTERDOWN no copy of this key accepted the write");
            _owner.Acks?.Record(0);
        }
        else
        {
            // Every copy whose outcome differs from the reply's (an error where it succeeded, a
            // success where it failed) or that may take the write late has diverged, and is
            // replayed from a readable copy before it serves reads. Copies whose connection failed
            // are down and replay their hints on reconnecting.
            var succeeded = _bestIndex % (2 * copies) < copies;
            var acknowledged = 0;
            for (var i = 0; i < copies; i++)
            {
                var diverged = _outcomes[i] switch
                {
                    CopyOutcome.TimedOut => true,
                    CopyOutcome.CommandError or CopyOutcome.ServerError => succeeded,
                    CopyOutcome.Success => !succeeded,
                    _ => false,
                };
                if (diverged)
                {
                    _table.Backends[_set.Writes[i]].RepairKeys(_keys);
                }
                else if (_outcomes[i] is CopyOutcome.Success or CopyOutcome.CommandError)
                {
                    acknowledged++;
                }
            }

            _owner.Acks?.Record(acknowledged);
        }

        _owner.OnSubRequestDone();
    }

    /// <summary>
    /// Runs an EVALSHA as EVAL on the one copy that answered NOSCRIPT (it restarted and lost its
    /// script cache), once, when this proxy knows the body. The other copies ran it from their
    /// caches, so the script runs exactly once on every copy. False when the body is unknown.
    /// </summary>
    private bool TryRunScriptBody(int tag, BackendNode node)
    {
        if ((Interlocked.Or(ref _scriptRetried, 1 << tag) & (1 << tag)) != 0 || CopyReplies.RewriteEvalShaAsEval(_command, _scripts!) is not { } eval)
        {
            return false;
        }

        if (!node.TryEnqueue(eval, this, tag, _mayRunLong))
        {
            return false;
        }

        node.Flush();
        return true;
    }

    /// <summary>
    /// Called when the owning request goes back to its pool: a large reply or command (a 64 MB
    /// value) goes back to the buffer pool now rather than when this object is next used, which
    /// may be never, so the idle trim can return it to the system.
    /// </summary>
    public void ReleaseBuffers()
    {
        _ownedCommand.Reset();
        _reply.Reset();
    }

    private void RecordHints(BackendNode node)
    {
        foreach (var key in _keys)
        {
            node.Hints.Add(key.Span);
        }
    }

    private void SetError(string message)
    {
        _reply.Reset();
        Resp.RespWriter.WriteError(_reply, message);
        _hasReply = true;
    }
}
