namespace RedisRing.Proxy.Requests;

/// <summary>
/// Counts the bytes of replies the proxy holds for one client, completed but not yet handed to
/// its socket (a whole pipelined batch of them included, since a batch is sent once it is
/// complete), and bounds them like Redis's <c>client-output-buffer-limit normal</c>: over the hard
/// limit, or over the soft limit for longer than the soft time, the client is closed, once,
/// through the callback, and from then on its replies are dropped instead of kept. Replies
/// complete on the backends' threads while the session releases them on its own, hence the
/// interlocked count.
/// </summary>
internal sealed class ClientOutputLimit
{
    private const long NotOverSoftLimit = long.MinValue;

    private readonly long _hardLimit;
    private readonly long _softLimit;
    private readonly long _softTicks;
    private readonly long _checkAbove;
    private readonly TimeProvider _time;
    private readonly Action<long, long, bool> _exceeded;
    private long _held;
    private long _overSoftLimitSince = NotOverSoftLimit;
    private int _isExceeded;

    /// <param name="hardLimit">Bytes; 0 for none.</param>
    /// <param name="softLimit">Bytes; 0 for none.</param>
    /// <param name="softTime">How long the held bytes may stay over the soft limit.</param>
    /// <param name="time">The clock of the soft time.</param>
    /// <param name="exceeded">Called once, on whichever thread went over: the bytes held, the limit, whether it is the soft one.</param>
    public ClientOutputLimit(long hardLimit, long softLimit, TimeSpan softTime, TimeProvider time, Action<long, long, bool> exceeded)
    {
        _hardLimit = hardLimit > 0 ? hardLimit : long.MaxValue;
        _softLimit = softLimit > 0 ? softLimit : long.MaxValue;
        _softTicks = (long)(softTime.TotalSeconds * time.TimestampFrequency);
        _checkAbove = Math.Min(_hardLimit, _softLimit);
        _time = time;
        _exceeded = exceeded;
    }

    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>The limit closed the client: its replies are no longer kept or written.</summary>
    public bool IsExceeded => Volatile.Read(ref _isExceeded) != 0;

    /// <summary>A reply of <paramref name="bytes"/> is complete and waits to be sent.</summary>
    public void Hold(long bytes)
    {
        var held = Interlocked.Add(ref _held, bytes);
        if (held > _checkAbove)
        {
            // The clock is read only past a limit: the common case costs one interlocked add.
            Check(held, _time.GetTimestamp());
        }
    }

    /// <summary>Replies of <paramref name="bytes"/> in all were handed to the socket.</summary>
    public void Release(long bytes)
    {
        if (Interlocked.Add(ref _held, -bytes) <= _softLimit)
        {
            Volatile.Write(ref _overSoftLimitSince, NotOverSoftLimit);
        }
    }

    /// <summary>
    /// Called by the proxy's timer: a client that reads nothing completes no new replies, and
    /// only the timer sees its held bytes stay over the soft limit.
    /// </summary>
    public void Check(long now) => Check(HeldBytes, now);

    private void Check(long held, long now)
    {
        if (held > _hardLimit)
        {
            Exceed(held, _hardLimit, soft: false);
            return;
        }

        if (held <= _softLimit)
        {
            Volatile.Write(ref _overSoftLimitSince, NotOverSoftLimit);
            return;
        }

        var since = Interlocked.CompareExchange(ref _overSoftLimitSince, now, NotOverSoftLimit);
        if (since != NotOverSoftLimit && now - since > _softTicks)
        {
            Exceed(held, _softLimit, soft: true);
        }
    }

    private void Exceed(long held, long limit, bool soft)
    {
        if (Interlocked.Exchange(ref _isExceeded, 1) == 0)
        {
            _exceeded(held, limit, soft);
        }
    }
}
