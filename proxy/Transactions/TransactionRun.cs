using System.Buffers;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// A transaction without WATCH, run on its replica set: a write transaction goes to every copy
/// as one uninterrupted block (MULTI ... EXEC) under the set's gate, so it lands in the same place
/// among the other writes on each copy, and the client gets the reply of the first readable copy
/// that ran it; a copy that failed or whose reply shows it applied the commands differently is
/// hinted or marked diverged, as for any write. A read-only transaction runs on the first readable
/// copy only, failing over to the next one.
/// </summary>
internal sealed class TransactionRun : IGatedCommand, ICallTarget
{
    private readonly object _sync = new();
    private readonly ProxyRequest _request;
    private readonly RoutingTable _table;
    private readonly ReplicaSet _set;
    private readonly PreparedTransaction _prepared;
    private readonly WriteAcknowledgements? _acks;
    private readonly TimeProvider _time;
    private readonly CopyOutcome[] _outcomes;
    private readonly string?[] _signatures;
    private byte[]? _best;
    private int _bestRank = int.MaxValue;
    private int _remaining;
    private string? _timedOutNode;

    public TransactionRun(ProxyRequest request, RoutingTable table, ReplicaSet set, TransactionState transaction, WriteAcknowledgements? acks, TimeProvider time)
    {
        _request = request;
        _table = table;
        _set = set;
        _prepared = PreparedTransaction.From(transaction);
        _acks = acks;
        _time = time;
        _outcomes = new CopyOutcome[set.Writes.Length];
        _signatures = new string?[set.Writes.Length];
    }

    public void Start()
    {
        var gate = _table.Gates[_set.Id];
        if (!_prepared.IsWrite && !gate.HasBarrier)
        {
            SendRead(0, deferFlush: true);
            return;
        }

        gate.StartOrPark(this);
    }

    public void StartUnderGate(ReplicaSetGate gate, bool deferFlush)
    {
        if (_prepared.IsWrite)
        {
            SendWrite(deferFlush);
        }
        else
        {
            SendRead(0, deferFlush);
        }
    }

    private void SendRead(int firstCopy, bool deferFlush)
    {
        var copies = _set.Reads;
        for (var i = firstCopy; i < copies.Length; i++)
        {
            var node = _table.Backends[copies[i]];
            if (node.IsReadable && node.TryEnqueueBlock(_prepared.Block, _prepared.Replies, this, i, _prepared.MayRunLong))
            {
                Flush(node, deferFlush);
                return;
            }
        }

        Complete("CLUSTERDOWN no readable copy of this key is reachable");
    }

    private void SendWrite(bool deferFlush)
    {
        var copies = _set.Writes;
        if (copies.IsEmpty)
        {
            Complete("CLUSTERDOWN the ring has no node for this key");
            return;
        }

        _remaining = copies.Length;
        for (var i = 0; i < copies.Length; i++)
        {
            var node = _table.Backends[copies[i]];
            if (node.State == BackendState.CatchingUp)
            {
                // As for any write: the node may restore older values after it (SubRequest.SendWrite).
                RecordHints(node);
            }

            if (i >= _set.Reads.Length && node.WarmUp.Generation != 0)
            {
                foreach (var key in _prepared.Keys)
                {
                    node.WarmUp.OnWrite(key.Span);
                }
            }

            if (node.TryEnqueueBlock(_prepared.Block, _prepared.Replies, this, i, _prepared.MayRunLong))
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
            _request.FlushBatch.Add(node);
        }
        else
        {
            node.Flush();
        }
    }

    public void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply)
    {
        var outcome = CopyReplies.Classify(reply);
        if (!_prepared.IsWrite)
        {
            if (outcome == CopyOutcome.ServerError && tag + 1 < _set.Reads.Length)
            {
                node.CountReadFailover();
                SendRead(tag + 1, deferFlush: false);
                return;
            }

            _best = ExecReplies.Copy(reply);
            Complete(null);
            return;
        }

        var bytes = ExecReplies.Copy(reply);
        _outcomes[tag] = outcome;
        _signatures[tag] = ExecReplies.Signature(bytes);
        if (outcome == CopyOutcome.ServerError)
        {
            node.CountWriteCopyFailure();
        }

        // The same choice as for a single write (SubRequest.OnReply): a readable copy before a
        // joining one, a success before an error, then the order of the copies.
        var copies = _set.Writes.Length;
        var readable = _table.IsReadable(_set.Writes[tag]);
        var rank = (readable ? 0 : 2 * copies) + (outcome == CopyOutcome.Success ? 0 : copies) + tag;
        lock (_sync)
        {
            if (rank < _bestRank)
            {
                _best = bytes;
                _bestRank = rank;
            }
        }

        CopyFinished();
    }

    public void OnFailure(int tag, BackendNode node)
    {
        if (!_prepared.IsWrite)
        {
            node.CountReadFailover();
            SendRead(tag + 1, deferFlush: false);
            return;
        }

        _outcomes[tag] = CopyOutcome.Failed;
        RecordHints(node);
        node.CountWriteCopyFailure();
        CopyFinished();
    }

    public void OnTimeout(int tag, BackendNode node)
    {
        _timedOutNode = node.Name;
        if (!_prepared.IsWrite)
        {
            Complete(TimeoutError());
            return;
        }

        _outcomes[tag] = CopyOutcome.TimedOut;
        node.CountWriteCopyFailure();
        CopyFinished();
    }

    private string TimeoutError() => $"TIMEOUT no reply from node {_timedOutNode} within commandTimeoutMs; the transaction may still run there";

    private void CopyFinished()
    {
        if (Interlocked.Decrement(ref _remaining) != 0)
        {
            return;
        }

        if (_best is null)
        {
            _acks?.Record(0);
            Complete(_timedOutNode is not null ? TimeoutError() : "CLUSTERDOWN no copy of this key accepted the write");
            return;
        }

        var copies = _set.Writes.Length;
        var succeeded = _bestRank % (2 * copies) < copies;
        var bestSignature = ExecReplies.Signature(_best);
        var acknowledged = 0;
        for (var i = 0; i < copies; i++)
        {
            var diverged = _outcomes[i] switch
            {
                CopyOutcome.TimedOut => true,
                CopyOutcome.CommandError or CopyOutcome.ServerError => succeeded,
                CopyOutcome.Success => !succeeded || _signatures[i] != bestSignature,
                _ => false,
            };
            if (diverged)
            {
                _table.Backends[_set.Writes[i]].RepairKeys(_prepared.Keys);
            }
            else if (_outcomes[i] is CopyOutcome.Success or CopyOutcome.CommandError)
            {
                acknowledged++;
            }
        }

        _acks?.Record(acknowledged);
        Complete(null);
    }

    private void RecordHints(BackendNode node)
    {
        foreach (var key in _prepared.Keys)
        {
            node.Hints.Add(key.Span);
        }
    }

    private void Complete(string? error)
    {
        if (error is not null)
        {
            _request.CompleteWithError(error);
            return;
        }

        _request.LocalReply.Reset();
        ExecReplies.Write(_request.LocalReply, _best!, _prepared.Queued, _time);
        _request.CompleteLocal();
    }
}
