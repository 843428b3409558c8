using System.Buffers;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH for one client, and the queuing of every command
/// between MULTI and EXEC (docs/protocol.md, "Transactions"). Every key of a transaction and of
/// its WATCH must have the same hashed part, the rule of one multi-key command, so that the whole
/// transaction runs on one replica set. One instance per client session, called from its thread.
/// </summary>
internal sealed class TransactionCommands(ScriptCache scripts, WriteAcknowledgements acks, ProxyOptions options, TimeProvider time)
{
    private const string ExecAbort = "EXECABORT Transaction discarded because of previous errors.";

    private static readonly byte[] s_queued = "+QUEUED\r\n"u8.ToArray();
    private static readonly byte[] s_ok = "+OK\r\n"u8.ToArray();
    private static readonly byte[] s_pong = "+PONG\r\n"u8.ToArray();

    private readonly TransactionState _transaction = new();
    private readonly List<int> _keyIndexes = new(8);
    // The hashed part every key of the transaction and of the watch shares, and one such key.
    private byte[]? _hashedPart;
    private byte[]? _locatingKey;
    private WatchSession? _watch;

    // A block must fit in a node connection's queue (with room for other clients' commands) and
    // in the proxy's request size limit: the queue is held in the proxy's memory until EXEC.
    private int MaxQueued => Math.Max(1, options.MaxPendingPerBackend / 2 - 2);

    private TimeSpan CommandTimeout => options.CommandTimeout;

    /// <summary>
    /// A command was refused before it reached a handler (unknown, wrong arity): inside MULTI it
    /// makes EXEC answer EXECABORT, as in Redis.
    /// </summary>
    public void OnRefused()
    {
        if (_transaction.InMulti)
        {
            _transaction.Dirty = true;
        }
    }

    /// <summary>Handles the transaction commands, and any command while queuing; false for the others.</summary>
    public bool TryHandle(ProxyRequest request, RequestFrame frame, CommandInfo info, RoutingTable table)
    {
        if (!_transaction.InMulti && info.Route != CommandRoute.Local)
        {
            // The data path outside a transaction: the transaction commands are all local.
            return false;
        }

        switch (info.Name)
        {
            case "MULTI":
                if (_transaction.InMulti)
                {
                    request.CompleteWithError("ERR MULTI calls can not be nested");
                    return true;
                }

                _transaction.Begin();
                Reply(request, s_ok);
                return true;
            case "EXEC":
                Exec(request, table);
                return true;
            case "DISCARD":
                if (!_transaction.InMulti)
                {
                    request.CompleteWithError("ERR DISCARD without MULTI");
                    return true;
                }

                End();
                Reply(request, s_ok);
                return true;
            case "WATCH":
                if (_transaction.InMulti)
                {
                    request.CompleteWithError("ERR WATCH inside MULTI is not allowed");
                    return true;
                }

                if (table.Unavailable is { } unavailable)
                {
                    request.CompleteWithError(unavailable);
                    return true;
                }

                Watch(request, frame, table);
                return true;
            case "UNWATCH" when !_transaction.InMulti:
                Unwatch();
                Reply(request, s_ok);
                return true;
            case "RESET":
                // RESET discards the transaction and the watch, then is answered as usual.
                End();
                return false;
            case "QUIT":
                return false;
        }

        if (!_transaction.InMulti)
        {
            return false;
        }

        if (Queue(frame, info, table) is { } error)
        {
            _transaction.Dirty = true;
            request.CompleteWithError(error);
            return true;
        }

        Reply(request, s_queued);
        return true;
    }

    /// <summary>The client left: its dedicated WATCH connection is closed.</summary>
    public void OnClientClosed() => End();

    private string? Queue(RequestFrame frame, CommandInfo info, RoutingTable table)
    {
        var name = info.Name;
        if (info.Route == CommandRoute.Local)
        {
            switch (name)
            {
                case "PING":
                    _transaction.QueueLocal(new QueuedReply(QueuedReplyKind.Fixed, frame.Count > 1 ? Bulk(frame[1]) : s_pong));
                    return null;
                case "ECHO":
                    _transaction.QueueLocal(new QueuedReply(QueuedReplyKind.Fixed, Bulk(frame[1])));
                    return null;
                case "TIME":
                    _transaction.QueueLocal(new QueuedReply(QueuedReplyKind.Time, null));
                    return null;
                case "UNWATCH":
                    _transaction.QueueLocal(new QueuedReply(QueuedReplyKind.Fixed, s_ok));
                    return null;
                default:
                    return NotInTransaction(name);
            }
        }

        if (info.Spec.InCategory("pubsub") || info.IsBlocking && name is not ("XREAD" or "XREADGROUP"))
        {
            return $"ERR {Display(name)} is not allowed in a transaction through RedisRing: blocking and pub/sub commands are not";
        }

        if (info.Route is not (CommandRoute.Keyed or CommandRoute.Split))
        {
            return info.Route == CommandRoute.Refused && info.Refusal is { } refusal ? refusal : NotInTransaction(name);
        }

        if (name is "SPOP" or "XCLAIM" or "XAUTOCLAIM" || name == "XADD" && FollowUpCommands.XaddIdIndex(frame) is var id && id > 0 && frame[id].SequenceEqual("*"u8))
        {
            // Their effect depends on the node that runs them; outside a transaction the proxy
            // runs them on one copy and sends the others what it did (docs/protocol.md).
            return $"ERR {Display(name)} chooses its result on the node that runs it and is not allowed in a transaction through RedisRing, which runs the transaction on every copy (use SREM of chosen members, XADD with an explicit ID)";
        }

        if (KeyFinding.FindKeys(info, frame, _keyIndexes) is { } keyError)
        {
            return keyError;
        }

        if (_keyIndexes.Count == 0)
        {
            return $"ERR '{name.ToLowerInvariant()}' without keys cannot be routed by RedisRing: pass at least one key";
        }

        if (!SameHashedPart(frame, table))
        {
            return KeyedPlanner.CrossSlotError;
        }

        if (_transaction.RemoteCount >= MaxQueued || _transaction.Block.WrittenCount + frame.Raw.Length > options.Limits.MaxRequestLength)
        {
            return $"ERR the transaction is too large for RedisRing: at most {MaxQueued} commands (half of maxPendingPerBackend) and {options.Limits.MaxRequestLength} bytes (maxRequestLength) in all";
        }

        if (name is "EVAL" or "EVAL_RO")
        {
            scripts.Remember(frame[1]);
        }

        _transaction.QueueRemote(frame.Raw.Span, info.IsWrite, info.MayRunLong);
        foreach (var index in _keyIndexes)
        {
            _transaction.AddKey(frame[index]);
        }

        return null;
    }

    /// <summary>Whether every key found has the hashed part of the keys before it (the first one sets it).</summary>
    private bool SameHashedPart(RequestFrame frame, RoutingTable table)
    {
        var first = _hashedPart ?? table.HashedPart(frame[_keyIndexes[0]]).ToArray();
        foreach (var index in _keyIndexes)
        {
            if (!table.HashedPart(frame[index]).SequenceEqual(first))
            {
                return false;
            }
        }

        _hashedPart = first;
        _locatingKey ??= frame[_keyIndexes[0]].ToArray();
        return true;
    }

    private void Exec(ProxyRequest request, RoutingTable table)
    {
        if (!_transaction.InMulti)
        {
            request.CompleteWithError("ERR EXEC without MULTI");
            return;
        }

        if (_transaction.Dirty)
        {
            End();
            request.CompleteWithError(ExecAbort);
            return;
        }

        if (table.Unavailable is { } reason)
        {
            End();
            request.CompleteWithError(reason);
            return;
        }

        var watch = _watch;
        _watch = null;
        if (watch is not null)
        {
            new WatchedExec(request, table, watch, _transaction, acks, CommandTimeout, time).Start();
        }
        else if (_transaction.RemoteCount == 0)
        {
            request.LocalReply.Reset();
            ExecReplies.WriteLocalOnly(request.LocalReply, _transaction.Replies, time);
            request.CompleteLocal();
        }
        else
        {
            new TransactionRun(request, table, table.Locate(_locatingKey), _transaction, acks, time).Start();
        }

        End();
    }

    private void Watch(ProxyRequest request, RequestFrame frame, RoutingTable table)
    {
        _keyIndexes.Clear();
        for (var i = 1; i < frame.Count; i++)
        {
            _keyIndexes.Add(i);
        }

        if (!SameHashedPart(frame, table))
        {
            request.CompleteWithError(KeyedPlanner.CrossSlotError);
            return;
        }

        var set = table.Locate(_locatingKey);
        if (_watch is null)
        {
            BackendNode? primary = null;
            foreach (var index in set.Reads)
            {
                if (table.IsReadable(index))
                {
                    primary = table.Backends[index];
                    break;
                }
            }

            _watch = new WatchSession(primary, _locatingKey!);
        }

        var watchCommand = frame.Raw.ToArray();
        table.Gates[set.Id].StartOrPark(new WatchStep(request, _watch, watchCommand, CommandTimeout, time));
    }

    private void Unwatch()
    {
        _watch?.Close();
        _watch = null;
        if (!_transaction.InMulti)
        {
            _hashedPart = null;
            _locatingKey = null;
        }
    }

    /// <summary>Ends the transaction and the watch (EXEC, DISCARD, RESET, the client leaving).</summary>
    private void End()
    {
        _transaction.Discard();
        Unwatch();
    }

    private static string NotInTransaction(string name) =>
        $"ERR {Display(name)} is not allowed in a transaction through RedisRing: a transaction runs on the one replica set of its keys";

    private static string Display(string name) => name.Replace('|', ' ');

    private static byte[] Bulk(ReadOnlySpan<byte> value)
    {
        var writer = new Buffers.PooledBufferWriter();
        RespWriter.WriteBulk(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    private static void Reply(ProxyRequest request, byte[] reply)
    {
        request.LocalReply.Reset();
        request.LocalReply.Write(reply);
        request.CompleteLocal();
    }
}
