using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;
using RedisRing.Ring;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// EXEC after WATCH. Under a barrier on the set's gate: a PING round trip on the primary's shared
/// connection (every write queued there before is applied), then MULTI ... EXEC on the client's
/// dedicated connection, where Redis checks the watched keys. If it committed and wrote, the same
/// block goes to every other copy before the barrier is lowered, so it takes the same place among
/// the set's writes on each copy; nil (a watched key changed) or an error runs nowhere else.
/// When the primary is no longer the watched node, or the watch broke, EXEC answers nil without
/// running anything. When the dedicated connection fails after the block was sent, whether the
/// primary committed is unknown: the client gets an error, the other copies do not run it, and the
/// primary's copies of the keys are replayed from another copy (hints), so no copy keeps a
/// transaction the others lack.
/// </summary>
internal sealed class WatchedExec : IGatedCommand
{
    private readonly ProxyRequest _request;
    private readonly RoutingTable _table;
    private readonly ReplicaSet _set;
    private readonly WatchSession _watch;
    private readonly PreparedTransaction _prepared;
    private readonly WriteAcknowledgements? _acks;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public WatchedExec(ProxyRequest request, RoutingTable table, WatchSession watch, TransactionState transaction, WriteAcknowledgements? acks, TimeSpan timeout, TimeProvider time)
    {
        _request = request;
        _table = table;
        _set = table.Locate(watch.LocatingKey);
        _watch = watch;
        _prepared = PreparedTransaction.From(transaction);
        _acks = acks;
        _timeout = timeout;
        _time = time;
    }

    public void Start() => _table.Gates[_set.Id].StartOrPark(this);

    public void StartUnderGate(ReplicaSetGate gate, bool deferFlush)
    {
        gate.Raise();
        var primary = _watch.Primary;
        var ping = new InternalCall();
        if (primary is null || _watch.IsBroken || !IsStillPrimary(primary) || !primary.TryEnqueue(WatchStep.Ping, ping, 0))
        {
            Finish(gate, lowered: false, NilReply(), error: null);
            return;
        }

        if (deferFlush)
        {
            _request.FlushBatch.Add(primary);
        }
        else
        {
            primary.Flush();
        }

        _ = RunAsync(gate, primary, ping);
    }

    private bool IsStillPrimary(BackendNode primary)
    {
        foreach (var index in _set.Reads)
        {
            if (_table.IsReadable(index))
            {
                return ReferenceEquals(_table.Backends[index], primary);
            }
        }

        return false;
    }

    private async Task RunAsync(ReplicaSetGate gate, BackendNode primary, InternalCall ping)
    {
        var lowered = false;
        byte[]? reply = null;
        string? error = null;
        try
        {
            if (await ping.Reply is not { } pong || RespReply.IsError(pong) || await _watch.Connection is not { } connection)
            {
                reply = NilReply();
                return;
            }

            var call = new InternalCall();
            if (!connection.TryEnqueueBlock(_prepared.Block, _prepared.Replies, call, 0, _prepared.MayRunLong))
            {
                reply = NilReply();
                return;
            }

            connection.Flush();
            try
            {
                reply = await call.Reply.WaitAsync(_timeout, _time);
            }
            catch (TimeoutException)
            {
                connection.Close("EXEC timed out");
            }

            if (reply is null)
            {
                // Sent, and then no answer: the primary may have committed. The other copies do not
                // run it; the primary's keys are replayed from them (now, or when it reconnects).
                primary.RepairKeys(_prepared.Keys);
                primary.CountWriteCopyFailure();
                _acks?.Record(0);
                error = $"ERR the transaction's outcome on node {primary.Name} is unknown (its connection failed or no reply came within commandTimeoutMs); it was not run on the other copies, and that node's copies of its keys are restored from them";
                return;
            }

            if (!_prepared.IsWrite || RespReply.IsError(reply) || ExecReplies.IsAborted(reply))
            {
                if (_prepared.IsWrite)
                {
                    _acks?.Record(_set.Writes.Length);
                }

                return;
            }

            var followers = new FollowerCopies(_table, _set, primary, _prepared.Keys, ExecReplies.Signature(reply));
            gate.Lower(() => followers.Send(_prepared.Block, _prepared.Replies, _prepared.MayRunLong));
            lowered = true;
            _acks?.Record(await followers.Acknowledged);
        }
        finally
        {
            Finish(gate, lowered, reply, error);
        }
    }

    private void Finish(ReplicaSetGate gate, bool lowered, byte[]? reply, string? error)
    {
        if (!lowered)
        {
            gate.Lower(static () => { });
        }

        _watch.Close();
        if (error is not null || reply is null)
        {
            _request.CompleteWithError(error ?? "ERR the transaction could not be run");
            return;
        }

        _request.LocalReply.Reset();
        ExecReplies.Write(_request.LocalReply, reply, _prepared.Queued, _time);
        _request.CompleteLocal();
    }

    private static byte[] NilReply() => "*-1\r\n"u8.ToArray();
}
