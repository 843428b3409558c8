using RedisRing.Resp;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Gives memory back to the system after large transfers. The proxy allocates almost nothing per
/// command, so a jump in allocated bytes means large values went through; but large values that
/// reuse pooled arrays and socket blocks allocate nothing and still leave those pools holding
/// hundreds of megabytes. So memory is trimmed when, after a quiet spell (no allocation to speak
/// of and no large array rented), either much was allocated since the last trim or the pools hold
/// more than a few requests' worth: the pools let their spare arrays and blocks go, and one
/// aggressive full collection returns the freed heap to the OS (without it the GC keeps it
/// committed for reuse, and the RSS stays at its peak); a second trim later in the same quiet spell
/// catches a buffer still in use during the first. Called from the proxy's timer; costs a few
/// counter reads per tick otherwise.
/// </summary>
internal sealed class IdleMemoryTrimmer(TimeProvider time)
{
    // Allocation since the last trim that makes a trim worth its pause, and the quiet that must follow.
    private const long TrimAfterBytes = 32L * 1024 * 1024;
    private const long QuietBytes = 1024L * 1024;
    // Free socket blocks kept through a trim: enough for the next few hundred small requests.
    private const int KeptBlocks = 64;
    // Free socket blocks (16 KiB each) above which a quiet proxy trims: 32 MiB, far more than
    // steady traffic of small requests keeps free, so only a large transfer leaves this many.
    private const int TrimAboveFreeBlocks = 2048;
    // Large arrays kept in the pool above which a quiet proxy trims: one array of a few megabytes
    // may stay (it is cheap and likely reused), a 64 MB value's 128 MB buffer may not.
    private const long TrimAbovePooledBytes = 16L * 1024 * 1024;
    private static readonly TimeSpan s_quietFor = TimeSpan.FromSeconds(2);

    private long _allocatedAtTrim = GC.GetTotalAllocatedBytes(precise: false);
    private long _allocatedAtQuietStart = GC.GetTotalAllocatedBytes(precise: false);
    private long _largeRentsAtQuietStart = ByteArrayPool.Shared.LargeRents;
    private long _quietSince = time.GetTimestamp();
    // A trim can come while a large reply is still being written (a slow client, a busy machine):
    // its buffer dies just after, unseen by that collection. One more trim later in the same
    // quiet spell returns it.
    private bool _followUpDue;

    private static int s_totalTrims;

    /// <summary>Trims done in this process (INFO stats <c>memory_trims</c>).</summary>
    public static int TotalTrims => Volatile.Read(ref s_totalTrims);

    public void Check()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var largeRents = ByteArrayPool.Shared.LargeRents;
        if (allocated - _allocatedAtQuietStart > QuietBytes || largeRents != _largeRentsAtQuietStart)
        {
            _allocatedAtQuietStart = allocated;
            _largeRentsAtQuietStart = largeRents;
            _quietSince = time.GetTimestamp();
            return;
        }

        var worthIt = allocated - _allocatedAtTrim >= TrimAfterBytes
            || ByteArrayPool.Shared.RetainedBytes >= TrimAbovePooledBytes
            || BlockMemoryPool.Instance.FreeBlocks > TrimAboveFreeBlocks;
        var quietFor = time.GetElapsedTime(_quietSince);
        var followUp = _followUpDue && quietFor >= 3 * s_quietFor;
        if (!followUp && (!worthIt || quietFor < s_quietFor))
        {
            return;
        }

        _followUpDue = !followUp;
        BlockMemoryPool.Instance.TrimTo(KeptBlocks);
        ByteArrayPool.Shared.Trim();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtTrim = GC.GetTotalAllocatedBytes(precise: false);
        _allocatedAtQuietStart = _allocatedAtTrim;
        Interlocked.Increment(ref s_totalTrims);
    }
}
