using System.Buffers;
using System.IO.Pipelines;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.PubSub;
using RedisRing.Proxy.Requests;

namespace RedisRing.Proxy.Server;

/// <summary>
/// The push path of one client: frames nobody asked for (pub/sub messages) written to its
/// connection between its replies. Frames arrive on the nodes' threads and are queued here; a
/// pump writes them to the client's output when the session is not writing replies. Order: the
/// session holds the pump from before it dispatches a batch until that batch's replies are
/// flushed, so a message of a channel always follows the reply that confirmed the subscription.
/// Bounded like Redis's <c>client-output-buffer-limit pubsub</c>: the queued and unsent bytes
/// count against the client's own <see cref="ClientOutputLimit"/>, and a client that does not
/// read is closed rather than let grow. A RESP3 client gets each frame as a push (<c>&gt;</c>).
/// Inactive (no lock, no wait) until the client first subscribes.
/// </summary>
internal sealed class ClientPushWriter(PipeWriter output, ClientState client, ClientOutputLimit limit) : IPushTarget
{
    // A queue buffer that grew past this for a burst is dropped after its bytes were written.
    private const int KeepCapacity = 256 * 1024;

    private readonly object _sync = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _ended = new();
    private ArrayBufferWriter<byte> _queued = new();
    private ArrayBufferWriter<byte> _writing = new();
    private volatile bool _active;
    private bool _held;
    private bool _pumping;
    private bool _closed;

    /// <summary>The client has subscribed at least once: the session takes turns with the pump.</summary>
    public bool IsActive => _active;

    /// <summary>Bytes queued or written and not yet taken by the socket.</summary>
    public long HeldBytes => limit.HeldBytes;

    public void Activate()
    {
        lock (_sync)
        {
            _active = true;
            _held = true;
        }
    }

    public void Push(ReadOnlySpan<byte> frame)
    {
        bool startPump;
        lock (_sync)
        {
            if (_closed || limit.IsExceeded)
            {
                return;
            }

            var span = _queued.GetSpan(frame.Length);
            frame.CopyTo(span);
            if (client.Protocol >= 3)
            {
                // The node's frame is a RESP2 array; RESP3 sends the same elements as a push.
                span[0] = (byte)'>';
            }

            _queued.Advance(frame.Length);
            startPump = !_held && !_pumping;
            _pumping |= startPump;
        }

        limit.Hold(frame.Length);
        if (startPump)
        {
            _ = PumpAsync();
        }
    }

    /// <summary>The session is about to dispatch a batch: frames wait until its replies are flushed.</summary>
    public void BeforeDispatch()
    {
        if (!_active)
        {
            return;
        }

        lock (_sync)
        {
            _held = true;
        }
    }

    /// <summary>The session is about to write replies: waits for a write of the pump in progress.</summary>
    public ValueTask BeforeRepliesAsync() => _active ? new ValueTask(_writeLock.WaitAsync()) : ValueTask.CompletedTask;

    /// <summary>The session flushed its replies: queued frames may go.</summary>
    public void AfterReplies()
    {
        if (!_active)
        {
            return;
        }

        _writeLock.Release();
        bool startPump;
        lock (_sync)
        {
            _held = false;
            startPump = !_pumping && !_closed && _queued.WrittenCount > 0;
            _pumping |= startPump;
        }

        if (startPump)
        {
            _ = PumpAsync();
        }
    }

    /// <summary>Called by the proxy's timer: closes the client if its queued frames stayed over the soft limit too long.</summary>
    public void CheckOutputLimit(long now)
    {
        if (_active)
        {
            limit.Check(now);
        }
    }

    /// <summary>The connection ended: later frames are dropped.</summary>
    public void Close()
    {
        lock (_sync)
        {
            _closed = true;
            _queued = new ArrayBufferWriter<byte>();
        }

        // A pump waiting for a session that ended in the middle of its replies stops waiting.
        _ended.Cancel();
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            try
            {
                await _writeLock.WaitAsync(_ended.Token);
            }
            catch (OperationCanceledException)
            {
                Stop();
                return;
            }

            try
            {
                int bytes;
                lock (_sync)
                {
                    if (_held || _closed || _queued.WrittenCount == 0)
                    {
                        _pumping = false;
                        return;
                    }

                    (_queued, _writing) = (_writing, _queued);
                    bytes = _writing.WrittenCount;
                }

                output.Write(_writing.WrittenSpan);
                if (_writing.Capacity > KeepCapacity)
                {
                    _writing = new ArrayBufferWriter<byte>();
                }
                else
                {
                    _writing.ResetWrittenCount();
                }

                // Returns once the socket took all but the pipe's pause threshold; a client that
                // does not read keeps it waiting while Push queues, up to the limit.
                var flushed = await output.FlushAsync();
                limit.Release(bytes);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    Stop();
                    return;
                }
            }
            catch (Exception)
            {
                // The connection is gone; the session ends on its own.
                Stop();
                return;
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private void Stop()
    {
        lock (_sync)
        {
            _pumping = false;
            _closed = true;
        }
    }
}
