using System.Buffers;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Blocking;

/// <summary>
/// One blocking command of a client (BLPOP, BZPOPMIN, BLMOVE, XREAD BLOCK ...), from dispatch to
/// its reply. The wait happens here, in the proxy; the pop is the command's non-blocking form
/// (<see cref="BlockingPlan"/>), run as an ordinary keyed command through the replica set's gate,
/// so it reaches every copy in order with the other writes of its keys and the copies stay equal.
/// It is tried at once, then again whenever a write through this proxy may have given its keys
/// something (<see cref="KeyWaiters"/>), and at every poll interval for the writes this proxy does
/// not see (other proxies), until it gets something, the timeout passes or the client leaves.
/// No backend connection is held while waiting, so nothing blocks the shared pipelines.
/// </summary>
internal sealed class BlockedRequest : IKeyWaiter
{
    private readonly BlockingEnvironment _environment;
    private readonly ProxyRequest _client;
    private readonly BlockingPlan _plan;
    private readonly KeyedPlanner _planner;
    private readonly BackendFlushBatch _flush = new();
    private readonly ClientOutputLimit _limit;
    private readonly ProxyRequest _attempt;
    private readonly CancellationTokenSource _cancel = new();
    private TaskCompletionSource _wake = NewSignal();

    private BlockedRequest(BlockingEnvironment environment, ProxyRequest client, BlockingPlan plan)
    {
        _environment = environment;
        _client = client;
        _plan = plan;
        _planner = new KeyedPlanner(environment.Scripts, environment.Waiters) { Waiter = this };
        _limit = new ClientOutputLimit(0, 0, TimeSpan.Zero, environment.Time, static (_, _, _) => { });
        _attempt = new ProxyRequest(_flush, _limit);
    }

    /// <summary>
    /// Starts the blocking command <paramref name="frame"/>. Its first try is queued before this
    /// returns, so it follows the client's earlier pipelined writes; the client's request
    /// completes when it is answered (never before, and never twice).
    /// </summary>
    public static void Start(BlockingEnvironment environment, ProxyRequest client, RequestFrame frame, CommandInfo info)
    {
        if (BlockingPlan.Create(frame, info, out var error) is not { } plan)
        {
            client.CompleteWithError(error!);
            return;
        }

        var blocked = new BlockedRequest(environment, client, plan);
        client.CancelBlocking = blocked.Cancel;
        _ = blocked.RunAsync();
    }

    /// <summary>A write through this proxy may have given the keys something: try again now.</summary>
    public void Wake() => _wake.TrySetResult();

    /// <summary>The client left: stop waiting (a try already sent still completes on the copies).</summary>
    private void Cancel() => _cancel.Cancel();

    private async Task RunAsync()
    {
        var time = _environment.Time;
        var registered = false;
        var counted = false;
        try
        {
            var deadline = _plan.Timeout is { } timeout ? time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency) : long.MaxValue;
            if (_plan.LastIdArguments.Count > 0 && await ResolveLastIdsAsync() is { } error)
            {
                Complete(error);
                return;
            }

            var command = _plan.Serialize();
            var frame = CopyReplies.ParseCommand(command)!;
            if (_plan.Blocks)
            {
                // Before the first try: a write queued after it wakes the wait below.
                _environment.Waiters.Add(_plan.Keys, this);
                registered = true;
            }

            var probeFirst = false;
            while (true)
            {
                _wake = NewSignal();
                if (!probeFirst || await KeysExistAsync())
                {
                    var reply = await RunAsync(frame, _plan.Info);
                    if (!_plan.Blocks || !IsNil(reply))
                    {
                        Complete(Reshape(reply));
                        return;
                    }
                }

                if (_cancel.IsCancellationRequested)
                {
                    CompleteCancelled();
                    return;
                }

                var now = time.GetTimestamp();
                if (now >= deadline)
                {
                    Complete(_plan.NilReply);
                    return;
                }

                if (!counted)
                {
                    _environment.OnBlocked();
                    counted = true;
                }

                var wait = Math.Min(deadline - now, (long)(_environment.PollInterval.TotalSeconds * time.TimestampFrequency));
                var woken = await WaitAsync(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency));

                // Woken by a write through this proxy: pop at once. A poll looks first with a read.
                probeFirst = !woken && _plan.ProbeWithExists;
            }
        }
        catch (OperationCanceledException)
        {
            CompleteCancelled();
        }
        catch (Exception e)
        {
            // Never leave the client waiting without an answer.
            Complete(Error($"ERR internal error in a blocking command: {e.Message}"));
        }
        finally
        {
            if (registered)
            {
                _environment.Waiters.Remove(_plan.Keys, this);
            }

            if (counted)
            {
                _environment.OnUnblocked();
            }
        }
    }

    /// <summary>Waits for a wake-up, the time given or the client's departure; true when woken.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        var delay = Task.Delay(wait, _environment.Time, stop.Token);
        var first = await Task.WhenAny(_wake.Task, delay).ConfigureAwait(false);
        stop.Cancel();
        _cancel.Token.ThrowIfCancellationRequested();
        return first == _wake.Task;
    }

    /// <summary>Runs one command through the keyed planner, as a client's command would, and returns a copy of its reply.</summary>
    private async Task<byte[]> RunAsync(RequestFrame frame, CommandInfo info)
    {
        _attempt.Reset();
        _planner.Start(_attempt, frame, info, _environment.Routing.Value);
        _flush.FlushAll();
        if (!_attempt.IsCompleted)
        {
            await _attempt.WaitAsync();
        }

        var reply = _attempt.ReplyBytes.ToArray();
        _limit.Release(_attempt.HeldReplyBytes);
        return reply;
    }

    /// <summary>EXISTS of the keys on their first readable copy: a poll tries the pop (a write on every copy) only when there is something.</summary>
    private async Task<bool> KeysExistAsync()
    {
        var arguments = new List<byte[]>(_plan.Keys.Count + 1) { "EXISTS"u8.ToArray() };
        arguments.AddRange(_plan.Keys);
        var reply = await RunAsync(Parse(arguments), CommandTable.All["EXISTS"]);

        // An error (no readable copy ...) is the pop's to report.
        return !RespReply.TryGetInteger(reply, out var count) || count > 0;
    }

    /// <summary>
    /// XREAD's <c>$</c> means "after the stream's last entry when the command blocked": each
    /// becomes the ID of the stream's last entry now (XREVRANGE key + - COUNT 1, 0-0 for none),
    /// read before any later write of this proxy. Returns an error reply, or null.
    /// </summary>
    private async Task<byte[]?> ResolveLastIdsAsync()
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        foreach (var (id, key) in _plan.LastIdArguments)
        {
            var reply = await RunAsync(Parse(["XREVRANGE"u8.ToArray(), _plan.Arguments[key], "+"u8.ToArray(), "-"u8.ToArray(), "COUNT"u8.ToArray(), "1"u8.ToArray()]), CommandTable.All["XREVRANGE"]);
            if (RespReply.IsError(reply))
            {
                return reply;
            }

            elements.Clear();
            _plan.Arguments[id] = "0-0"u8.ToArray();
            if (RespReply.TrySplitArray(reply, elements) && elements.Count > 0)
            {
                var entry = new List<ReadOnlyMemory<byte>>();
                if (RespReply.TrySplitArray(elements[0], entry) && entry.Count > 0 && RespReply.GetString(entry[0]) is { } last)
                {
                    _plan.Arguments[id] = last.ToArray();
                }
            }
        }

        return null;
    }

    private byte[] Reshape(byte[] reply)
    {
        if (_plan.Shape == BlockingReplyShape.AsIs || reply.Length == 0 || reply[0] != (byte)'*' || IsNil(reply))
        {
            return reply;
        }

        // [key, [element]] or [key, [[member, score]]]: one element was asked for.
        var outer = new List<ReadOnlyMemory<byte>>();
        var inner = new List<ReadOnlyMemory<byte>>();
        if (!RespReply.TrySplitArray(reply, outer) || outer.Count != 2 || !RespReply.TrySplitArray(outer[1], inner) || inner.Count != 1)
        {
            return reply;
        }

        var writer = new PooledBufferWriter();
        if (_plan.Shape == BlockingReplyShape.KeyAndElement)
        {
            RespWriter.WriteArrayHeader(writer, 2);
            writer.Write(outer[0].Span);
            writer.Write(inner[0].Span);
        }
        else
        {
            var pair = new List<ReadOnlyMemory<byte>>();
            if (!RespReply.TrySplitArray(inner[0], pair) || pair.Count != 2)
            {
                return reply;
            }

            RespWriter.WriteArrayHeader(writer, 3);
            writer.Write(outer[0].Span);
            writer.Write(pair[0].Span);
            writer.Write(pair[1].Span);
        }

        return writer.WrittenSpan.ToArray();
    }

    private void Complete(byte[] reply)
    {
        var local = _client.LocalReply;
        local.Reset();
        local.Write(reply);
        _client.CompleteLocal();
    }

    /// <summary>The client left: its request completes so that the session can end; nobody reads the reply.</summary>
    private void CompleteCancelled() => Complete(Error("ERR the client closed the connection while blocked"));

    private static bool IsNil(byte[] reply) => reply.Length >= 3 && (reply[0] is (byte)'*' or (byte)'$') && reply[1] == (byte)'-';

    private static byte[] Error(string message)
    {
        var writer = new PooledBufferWriter();
        RespWriter.WriteError(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    private static RequestFrame Parse(List<byte[]> arguments)
    {
        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, arguments.Count);
        foreach (var argument in arguments)
        {
            RespWriter.WriteBulk(writer, argument);
        }

        return CopyReplies.ParseCommand(writer.WrittenSpan.ToArray())!;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
