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

    /// <summary>The reply chosen for the client: valid once done.</summary>
    public ReadOnlyMemory<byte> Reply => _reply.WrittenMemory;

    public void Initialize(ProxyRequest owner, RoutingTable table, ReplicaSet set, SubRequestKind kind)
    {
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
    }

    /// <summary>Sends the client's own bytes (no rewrite needed).</summary>
    public void UseCommand(ReadOnlyMemory<byte> command) => _command = command;

    /// <summary>A buffer to write a rewritten command into; then call <see cref="UseOwnedCommand"/>.</summary>
    public PooledBufferWriter CommandWriter => _ownedCommand;

    public void UseOwnedCommand() => _command = _ownedCommand.WrittenMemory;

    /// <summary>Keys this command writes: recorded as hints for copies that miss the write.</summary>
    public void AddKey(ReadOnlyMemory<byte> key) => _keys.Add(key);

    public void Start()
    {
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
        var copies = _set.Reads;
        for (var i = firstCopy; i < copies.Length; i++)
        {
            var node = _table.Backends[copies[i]];
            if (!node.IsReadable)
            {
                continue;
            }

            if (node.TryEnqueue(_command.Span, this, i))
            {
                Flush(node, deferFlush);
                return;
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

            if (node.TryEnqueue(_command.Span, this, i))
            {
                Flush(node, deferFlush);
            }
            else
            {
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
                if (tag + 1 < _set.Reads.Length && IsLoadingError(reply))
                {
                    // A server still loading its data has none to give: read the next copy.
                    node.CountReadFailover();
                    SendRead(tag + 1, deferFlush: false);
                    return;
                }

                _owner.StoreReply(_reply, reply);
                _hasReply = true;
                _owner.OnSubRequestDone();
                break;
            case SubRequestKind.Write:
                // The client gets the reply of the first copy reads would go to: a joining or
                // restarted copy may not hold the key yet, so its INCR or EXPIRE answers wrongly.
                var rank = _table.IsReadable(_set.Writes[tag]) ? tag : tag + _set.Writes.Length;
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
                RemovePoppedFromOtherCopies(tag);
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

    private void CopyFinished()
    {
        if (Interlocked.Decrement(ref _remaining) != 0)
        {
            return;
        }

        if (!_hasReply)
        {
            SetError("CLUSTERDOWN no copy of this key accepted the write");
        }

        _owner.OnSubRequestDone();
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

    private static bool IsLoadingError(in ReadOnlySequence<byte> reply)
    {
        if (reply.Length < 8)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[8];
        reply.Slice(0, 8).CopyTo(head);
        return head.SequenceEqual("-LOADING"u8);
    }
}
