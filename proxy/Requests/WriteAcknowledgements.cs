namespace RedisRing.Proxy.Requests;

/// <summary>
/// How many copies acknowledged one client's writes, for WAIT (docs/protocol.md, "WAIT"): the
/// smallest count among its writes since its previous WAIT. Every write reaches every copy and
/// completes when each copy answered, so the count is known when the write completes. Written
/// from the backends' read loops, read by the session.
/// </summary>
internal sealed class WriteAcknowledgements(int replicas)
{
    private int _smallestSinceWait = int.MaxValue;
    private int _last = replicas;

    /// <summary>A write of this client completed, applied by <paramref name="copies"/> copies.</summary>
    public void Record(int copies)
    {
        Volatile.Write(ref _last, copies);
        var current = Volatile.Read(ref _smallestSinceWait);
        while (copies < current)
        {
            var seen = Interlocked.CompareExchange(ref _smallestSinceWait, copies, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// WAIT's answer: the fewest copies that applied any write since the previous WAIT; with no
    /// write since, the copies that applied the last one (the ring's replica count before any).
    /// </summary>
    public int TakeForWait()
    {
        var smallest = Interlocked.Exchange(ref _smallestSinceWait, int.MaxValue);
        return smallest == int.MaxValue ? Volatile.Read(ref _last) : smallest;
    }
}
