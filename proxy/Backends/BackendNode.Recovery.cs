using System.Text;
using RedisRing.Resp;

namespace RedisRing.Proxy.Backends;

internal sealed partial class BackendNode
{
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_catchUpRetryDelay = TimeSpan.FromMilliseconds(200);

    // Reads a key's TTL and serialized value in one atomic step on the live copy.
    internal const string DumpScript = "return {redis.call('PTTL', KEYS[1]), redis.call('DUMP', KEYS[1])}";

    private bool _needsRepair;

    /// <summary>
    /// Connects with exponential backoff, checks whether the server is the one we knew (run_id),
    /// then decides what it may serve: a node that missed writes replays them from live copies
    /// (hinted handoff) before it serves reads again; one that restarted or missed too much
    /// needs a repair and serves writes only.
    /// </summary>
    private async Task RecoverAsync()
    {
        var delay = s_firstRetryDelay;
        while (!_retired)
        {
            BackendConnection? connection = null;
            try
            {
                connection = await BackendConnection.ConnectAsync(this, _connector, _time, _options.ConnectTimeout, _options.MaxPendingPerBackend, CancellationToken.None);
                var runId = await HandshakeAsync(connection);
                string? repairReason = null;
                if (_expectedRunId is { } expected && runId != expected)
                {
                    // Before ZooKeeper catches up: the member's data belongs to another process.
                    repairReason = $"run_id {runId} differs from the member's {expected}";
                }
                else if (_expectedRunId is null && RunId is not null && runId != RunId)
                {
                    // Only without a member's word (a static node list): when the membership
                    // names this run_id, it was promoted for the data it has now.
                    repairReason = $"restarted (run_id {RunId} became {runId})";
                }
                else if (Hints.Overflowed && !_needsRepair)
                {
                    repairReason = "missed more writes than the hint buffer holds, or a broadcast";
                }

                RunId = runId;

                _connection = connection;
                if (_retired)
                {
                    // Left the ring while connecting: nobody will send it anything.
                    connection.Close("node left the ring");
                    return;
                }

                if (connection.IsClosed)
                {
                    // Lost between the handshake and publication: the close found nothing to clear.
                    _connection = null;
                    throw new IOException("connection closed during start-up");
                }

                if (repairReason is not null)
                {
                    MarkNeedsRepair(repairReason);
                    return;
                }

                if (_needsRepair)
                {
                    SetState(BackendState.NeedsRepair);
                    return;
                }

                await CatchUpAsync();
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                connection?.Close(e.Message);
                LastError = e.Message;
                if (_retired)
                {
                    return;
                }

                LogConnectFailed(_logger, Name, e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _time);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            }
        }
    }

    private async Task<string> HandshakeAsync(BackendConnection connection)
    {
        if (_options.BackendPassword is { } password)
        {
            var auth = await ExecuteOnAsync(connection, RespWriter.Command("AUTH", password));
            if (RespReply.IsError(auth))
            {
                throw new InvalidOperationException("backend refused AUTH: " + RespReply.GetErrorMessage(auth));
            }
        }

        var info = await ExecuteOnAsync(connection, RespWriter.Command("INFO", "server"));
        if (RespReply.IsError(info))
        {
            throw new InvalidOperationException("backend refused INFO: " + RespReply.GetErrorMessage(info));
        }

        var text = RespReply.GetText(info);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("run_id:", StringComparison.Ordinal))
            {
                return line["run_id:".Length..];
            }
        }

        throw new InvalidOperationException("backend INFO has no run_id");
    }

    private async Task<byte[]> ExecuteOnAsync(BackendConnection connection, byte[] command)
    {
        var call = new InternalCall();
        if (!connection.TryEnqueue(command, call, 0))
        {
            throw new IOException("connection closed");
        }

        connection.Flush();
        var reply = await call.Reply.WaitAsync(_options.ConnectTimeout + _options.LivenessTimeout, _time);
        return reply ?? throw new IOException("connection closed during the handshake");
    }

    /// <summary>
    /// Replays every hinted key from a live copy until a pass finds nothing new, then serves
    /// reads again. Writes that reach this node meanwhile re-hint their keys (see the write path),
    /// so a key overwritten between its copy and its restore is simply copied again.
    /// </summary>
    private async Task CatchUpAsync()
    {
        var replayed = 0;
        while (IsConnected)
        {
            if (Hints.IfEmpty(() => SetState(BackendState.Up)))
            {
                if (replayed > 0)
                {
                    LogReplayed(_logger, Name, replayed);
                }

                return;
            }

            if (Hints.Overflowed)
            {
                MarkNeedsRepair("missed more writes than the hint buffer holds, or a broadcast");
                return;
            }

            SetState(BackendState.CatchingUp);
            var keys = Hints.TakeAll();
            var waiting = false;
            foreach (var batch in keys.Chunk(64))
            {
                var results = await Task.WhenAll(batch.Select(ReplayKeyAsync));
                foreach (var (key, ok) in batch.Zip(results))
                {
                    if (ok)
                    {
                        replayed++;
                    }
                    else
                    {
                        Hints.Add(key);
                        waiting = true;
                    }
                }
            }

            if (waiting)
            {
                // No live copy answered for some keys: wait for one rather than spin.
                await Task.Delay(s_catchUpRetryDelay, _time);
            }
        }
    }

    private async Task<bool> ReplayKeyAsync(byte[] key) => await CopyKeyFromReadableCopyAsync(key) >= 0;

    /// <summary>
    /// Makes this node's copy of <paramref name="key"/> what the key's first readable copy holds
    /// now: its value and TTL read in one atomic step there, then RESTORE ... REPLACE here, or DEL
    /// when the key is gone there (so a deleted key never comes back). Returns the bytes of the
    /// serialized value copied (0 for a delete), or -1 when no readable copy answered.
    /// </summary>
    public async Task<long> CopyKeyFromReadableCopyAsync(byte[] key)
    {
        var source = _copyFinder.FindReadableCopy(key, this);
        if (source is null)
        {
            return -1;
        }

        var dumped = await source.ExecuteAsync(RespWriter.CommandBytes("EVAL"u8.ToArray(), Encoding.ASCII.GetBytes(DumpScript), "1"u8.ToArray(), key));
        if (dumped is null || RespReply.IsError(dumped))
        {
            return -1;
        }

        var elements = new List<ReadOnlyMemory<byte>>(2);
        if (!RespReply.TrySplitArray(dumped, elements) || elements.Count != 2 || !RespReply.TryGetInteger(elements[0].Span, out var ttl))
        {
            return -1;
        }

        var payload = RespReply.GetString(elements[1]);
        byte[]? restored;
        long bytes = 0;
        if (payload is null || ttl == -2)
        {
            restored = await ExecuteAsync(RespWriter.CommandBytes("DEL"u8.ToArray(), key));
        }
        else
        {
            // PTTL is -1 without a TTL; RESTORE takes 0 for "none". A key whose TTL ran out
            // between the read and now expires here at once (RESTORE with 1 ms).
            var ttlText = Encoding.ASCII.GetBytes(Math.Max(ttl, 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
            bytes = payload.Value.Length;
            restored = await ExecuteAsync(RespWriter.CommandBytes("RESTORE"u8.ToArray(), key, ttlText, payload.Value.ToArray(), "REPLACE"u8.ToArray()));
        }

        return restored is not null && !RespReply.IsError(restored) ? bytes : -1;
    }
}
