using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Transport;
using RedisRing.Resp;

namespace RedisRing.Proxy.PubSub;

/// <summary>
/// The proxy's one subscriber connection to one node, shared by every client of the proxy (the
/// data path's pipelined connection cannot carry it: a subscribed connection takes no other
/// command). It holds what the hub wants subscribed on the node and brings the node there: each
/// change is marked, and the send loop sends the difference between what is wanted and what the
/// node was told, so a burst of SUBSCRIBE/UNSUBSCRIBE while the node is slow costs at most one
/// entry per name. When the connection drops it reconnects with back-off and subscribes
/// everything again; the node's messages go to <see cref="PubSubHub.Deliver"/>.
/// </summary>
internal sealed partial class NodeSubscriber : IDisposable
{
    private const int NamesPerCommand = 512;
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly BackendNode _node;
    private readonly PubSubHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private readonly HashSet<byte[]>[] _wanted = new HashSet<byte[]>[PubSubKinds.Count];
    private readonly HashSet<byte[]>[] _onNode = new HashSet<byte[]>[PubSubKinds.Count];
    private readonly HashSet<byte[]>[] _changed = new HashSet<byte[]>[PubSubKinds.Count];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private bool _wakePending;
    private int _connections;

    public NodeSubscriber(BackendNode node, PubSubHub hub, TimeProvider time, ILogger logger)
    {
        _node = node;
        _hub = hub;
        _time = time;
        _logger = logger;
        for (var i = 0; i < PubSubKinds.Count; i++)
        {
            _wanted[i] = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _onNode[i] = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _changed[i] = new HashSet<byte[]>(ByteArrayComparer.Instance);
        }
    }

    /// <summary>Times this subscriber connected to its node (a reconnection is one more), for tests.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public void Start() => _ = RunAsync();

    /// <summary>The hub wants <paramref name="name"/> subscribed on this node.</summary>
    public void Want(PubSubKind kind, byte[] name) => Change(kind, name, wanted: true);

    /// <summary>The hub no longer wants <paramref name="name"/> on this node.</summary>
    public void Drop(PubSubKind kind, byte[] name) => Change(kind, name, wanted: false);

    public void Dispose()
    {
        _stop.Cancel();
        Wake();
    }

    private void Change(PubSubKind kind, byte[] name, bool wanted)
    {
        lock (_sync)
        {
            var set = _wanted[(int)kind];
            if (wanted ? !set.Add(name) : !set.Remove(name))
            {
                return;
            }

            _changed[(int)kind].Add(name);
        }

        Wake();
    }

    private void Wake()
    {
        lock (_sync)
        {
            if (_wakePending)
            {
                return;
            }

            _wakePending = true;
        }

        _wake.Release();
    }

    private async Task RunAsync()
    {
        var delay = s_firstRetryDelay;
        var failedBefore = false;
        while (!_stop.IsCancellationRequested)
        {
            IConnection? connection = null;
            try
            {
                connection = await _node.Connector.ConnectAsync(_node.Endpoint, _node.Name + " (pub/sub)", _node.Options.ConnectTimeout, _stop.Token);
                Interlocked.Increment(ref _connections);
                LogConnected(_logger, _node.Name);
                delay = s_firstRetryDelay;
                failedBefore = false;
                await ServeAsync(connection);
            }
            catch (Exception e)
            {
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                // A node that stays down is retried every second: said once, not each time.
                if (!failedBefore)
                {
                    LogConnectionLost(_logger, _node.Name, e.Message, delay.TotalMilliseconds);
                }

                failedBefore = true;
            }
            finally
            {
                connection?.Dispose();
            }

            if (_stop.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(delay, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
        }
    }

    /// <summary>Runs one connection: everything wanted is subscribed again, then changes are sent as they come while messages are read.</summary>
    private async Task ServeAsync(IConnection connection)
    {
        lock (_sync)
        {
            // A new connection has nothing subscribed: everything wanted is a change.
            for (var i = 0; i < PubSubKinds.Count; i++)
            {
                _onNode[i].Clear();
                _changed[i].Clear();
                _changed[i].UnionWith(_wanted[i]);
            }
        }

        using var closed = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var reading = ReadAsync(connection.Input);
        var sending = SendAsync(connection.Output, closed.Token);
        var first = await Task.WhenAny(reading, sending);
        closed.Cancel();
        connection.Dispose();
        await first;
        await Task.WhenAll(reading, sending).ContinueWith(static _ => { }, TaskScheduler.Default);
        throw new IOException("subscriber connection closed");
    }

    private async Task SendAsync(PipeWriter output, CancellationToken closed)
    {
        if (_node.Options.BackendPassword is { } password)
        {
            output.Write(RespWriter.Command("AUTH", password));
        }

        var subscribe = new List<byte[]>();
        var unsubscribe = new List<byte[]>();
        while (true)
        {
            foreach (var kind in PubSubKinds.All)
            {
                lock (_sync)
                {
                    foreach (var name in _changed[(int)kind])
                    {
                        var wanted = _wanted[(int)kind].Contains(name);
                        if (wanted && _onNode[(int)kind].Add(name))
                        {
                            subscribe.Add(name);
                        }
                        else if (!wanted && _onNode[(int)kind].Remove(name))
                        {
                            unsubscribe.Add(name);
                        }
                    }

                    _changed[(int)kind].Clear();
                }

                WriteCommands(output, PubSubKinds.SubscribeCommand(kind), subscribe);
                WriteCommands(output, PubSubKinds.UnsubscribeCommand(kind), unsubscribe);
            }

            var flushed = await output.FlushAsync(closed);
            if (flushed.IsCompleted)
            {
                return;
            }

            await _wake.WaitAsync(closed);
            lock (_sync)
            {
                _wakePending = false;
            }
        }
    }

    private static void WriteCommands(PipeWriter output, string command, List<byte[]> names)
    {
        for (var start = 0; start < names.Count; start += NamesPerCommand)
        {
            var count = Math.Min(NamesPerCommand, names.Count - start);
            var arguments = new byte[count + 1][];
            arguments[0] = System.Text.Encoding.ASCII.GetBytes(command);
            names.CopyTo(start, arguments, 1, count);
            RespWriter.WriteCommand(output, arguments);
        }

        names.Clear();
    }

    private async Task ReadAsync(PipeReader input)
    {
        var scan = default(ReplyScanState);
        var elements = new List<ReadOnlyMemory<byte>>(4);
        byte[]? copy = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var status = ReplyScanner.TryScan(buffer, ref scan, out var length);
                    if (status == RespStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == RespStatus.ProtocolError)
                    {
                        throw new IOException("protocol error on the subscriber connection");
                    }

                    scan = default;
                    var frame = buffer.Slice(0, length);
                    ReadOnlyMemory<byte> bytes;
                    if (frame.IsSingleSegment)
                    {
                        bytes = frame.First;
                    }
                    else
                    {
                        if (copy is null || copy.Length < length)
                        {
                            copy = new byte[Math.Max(length, 4096)];
                        }

                        frame.CopyTo(copy);
                        bytes = copy.AsMemory(0, (int)length);
                    }

                    OnFrame(bytes, elements);
                    buffer = buffer.Slice(length);
                    if (copy is { Length: > 1024 * 1024 })
                    {
                        // A large message's copy is not kept for the next one.
                        copy = null;
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    /// <summary>message, pmessage and smessage go to the hub, with the node's bytes; confirmations are counted by nobody.</summary>
    private void OnFrame(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> elements)
    {
        if (RespReply.IsError(frame.Span))
        {
            LogNodeError(_logger, _node.Name, RespReply.GetErrorMessage(frame.Span));
            return;
        }

        if (frame.Span[0] != (byte)'*' || !RespReply.TrySplitArray(frame, elements) || elements.Count < 3)
        {
            return;
        }

        if (RespReply.GetString(elements[0]) is not { } kind)
        {
            return;
        }

        var first = RespReply.GetString(elements[1]);
        if (first is null)
        {
            return;
        }

        if (kind.Span.SequenceEqual("message"u8))
        {
            _hub.Deliver(PubSubKind.Channel, first.Value.Span, frame.Span);
        }
        else if (kind.Span.SequenceEqual("pmessage"u8))
        {
            _hub.Deliver(PubSubKind.Pattern, first.Value.Span, frame.Span);
        }
        else if (kind.Span.SequenceEqual("smessage"u8))
        {
            _hub.Deliver(PubSubKind.Shard, first.Value.Span, frame.Span);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pub/sub: subscriber connection to {Node} open")]
    private static partial void LogConnected(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pub/sub: subscriber connection to {Node} lost or refused ({Reason}); retrying from {DelayMs} ms, backing off to 1 s")]
    private static partial void LogConnectionLost(ILogger logger, string node, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub/sub: node {Node} answered a subscription with an error: {Error}")]
    private static partial void LogNodeError(ILogger logger, string node, string error);
}
