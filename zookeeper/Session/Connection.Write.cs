using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Session;

internal sealed partial class Connection
{
    // Flush in the middle of a long batch so a burst does not pile up in one huge buffer.
    private const int FlushThreshold = 64 * 1024;

    private async Task WriteLoopAsync(ChannelReader<PendingRequest> requests, IReadOnlyList<PendingRequest> first, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var request in first)
            {
                WriteRequest(request);
            }

            await FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }

        while (await requests.WaitToReadAsync(cancellationToken))
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                // Everything queued goes out in one batch: this is what pipelines the requests.
                while (requests.TryRead(out var request))
                {
                    if (request.IsCompleted)
                    {
                        continue; // cancelled before it was sent
                    }

                    WriteRequest(request);
                    if (_output.UnflushedBytes > FlushThreshold)
                    {
                        await FlushAsync(cancellationToken);
                    }
                }

                await FlushAsync(cancellationToken);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        throw new ConnectionClosedException("The session's request queue was closed.");
    }

    private async Task PingLoopAsync(TimeSpan sessionTimeout, CancellationToken cancellationToken)
    {
        // As the Java client: ping after a third of the timeout without sending anything, give
        // the server up after two thirds without hearing from it.
        var pingInterval = sessionTimeout / 3;
        var readTimeout = sessionTimeout * 2 / 3;
        var tick = pingInterval / 4;
        while (true)
        {
            await Task.Delay(tick, _time, cancellationToken);
            if (_time.GetElapsedTime(LastReceived) > readTimeout)
            {
                throw new TimeoutException($"Nothing heard from {Describe()} for {readTimeout.TotalMilliseconds:0} ms.");
            }

            if (_time.GetElapsedTime(Interlocked.Read(ref _lastSent)) >= pingInterval)
            {
                await _writeLock.WaitAsync(cancellationToken);
                try
                {
                    WriteHeader(Xids.Ping, OpCode.Ping, 0);
                    await FlushAsync(cancellationToken);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
    }

    private void WriteRequest(PendingRequest request)
    {
        var xid = request.FixedXid != 0 ? request.FixedXid : _nextXid++;
        request.Xid = xid;

        // Queued before its bytes are written, so its reply always finds it.
        if (request.FixedXid == 0)
        {
            _inFlight.Enqueue(request);
        }
        else if (request.FixedXid == Xids.Auth)
        {
            _authInFlight.Enqueue(request);
        }

        WriteHeader(xid, request.OpCode, request.Body.Length);
        _output.Write(request.Body);
    }

    private void WriteHeader(int xid, OpCode opCode, int bodyLength)
    {
        var span = _output.GetSpan(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + bodyLength);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], xid);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], (int)opCode);
        _output.Advance(12);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _output.FlushAsync(cancellationToken);
        Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());
    }
}
