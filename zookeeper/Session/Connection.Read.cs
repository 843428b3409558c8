using System.Buffers;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Session;

internal sealed partial class Connection
{
    private async Task ReadLoopAsync(IConnectionEvents events, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            try
            {
                while (FrameReader.TryRead(ref buffer, _maxPacketLength, out var frame))
                {
                    HandleFrame(frame, events);
                }
            }
            catch (JuteFormatException e)
            {
                LogProtocolError(Describe(), e.Message);
                throw;
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                throw new ConnectionClosedException(buffer.IsEmpty
                    ? $"{Describe()} closed the connection."
                    : $"{Describe()} closed the connection in the middle of a frame.");
            }
        }
    }

    private void HandleFrame(ReadOnlySequence<byte> frame, IConnectionEvents events)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (frame.IsSingleSegment)
        {
            span = frame.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
            frame.CopyTo(rented);
            span = rented.AsSpan(0, (int)frame.Length);
        }

        try
        {
            HandleReply(span, events);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void HandleReply(ReadOnlySpan<byte> span, IConnectionEvents events)
    {
        var reader = new JuteReader(span);
        var xid = reader.ReadInt();
        var zxid = reader.ReadLong();
        var error = (ErrorCode)reader.ReadInt();
        Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
        if (zxid > 0)
        {
            events.OnZxid(zxid);
        }

        switch (xid)
        {
            case Xids.Notification:
                var type = reader.ReadInt();
                _ = reader.ReadInt(); // keeper state, always SyncConnected on a live connection
                var path = reader.ReadString() ?? throw new JuteFormatException("Notification without a path.");
                if (type is >= (int)WatchEventType.NodeCreated and <= (int)WatchEventType.NodeChildrenChanged)
                {
                    events.OnNotification((WatchEventType)type, path);
                }

                return;
            case Xids.Ping:
                return;
            case Xids.SetWatches:
                if (error != ErrorCode.Ok)
                {
                    LogSetWatchesFailed(Describe(), error);
                }

                return;
            case Xids.Auth:
                // Auth packets are answered as soon as the server reads them, ahead of requests
                // still in flight, so they have their own queue.
                if (_authInFlight.TryDequeue(out var auth))
                {
                    auth.OnReply(error, ref reader);
                }

                if (error == ErrorCode.AuthFailed)
                {
                    throw new AuthFailedException();
                }

                return;
        }

        // Peeked, not dequeued, until it matches: a request must stay queued to be failed with
        // ConnectionLoss when a bad reply ends the connection.
        if (!_inFlight.TryPeek(out var request))
        {
            throw new JuteFormatException($"Reply with xid {xid} while no request is in flight.");
        }

        if (request.Xid != xid)
        {
            throw new JuteFormatException($"Reply with xid {xid} while xid {request.Xid} is next.");
        }

        _inFlight.TryDequeue(out _);
        request.OnReply(error, ref reader);
    }
}
