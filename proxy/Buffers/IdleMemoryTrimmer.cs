using RedisRing.Resp;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Gives memory back to the system after large transfers. The proxy allocates almost nothing per
/// command, so a jump in allocated bytes means large values went through; once allocation has
/// been quiet for a while, one aggressive full collection returns the freed heap to the OS
/// (without it the GC keeps it committed for reuse, and the RSS stays at its peak). Called from
/// the proxy's timer; costs one cheap counter read per tick otherwise.
/// </summary>
internal sealed class IdleMemoryTrimmer(TimeProvider time)
{
    // Allocation since the last trim that makes a trim worth its pause, and the quiet that must follow.
    private const long TrimAfterBytes = 32L * 1024 * 1024;
    private const long QuietBytes = 1024L * 1024;
    // Free socket blocks kept through a trim: enough for the next few hundred small requests.
    private const int KeptBlocks = 64;
    private static readonly TimeSpan s_quietFor = TimeSpan.FromSeconds(2);

    private long _allocatedAtTrim = GC.GetTotalAllocatedBytes(precise: false);
    private long _allocatedAtQuietStart = GC.GetTotalAllocatedBytes(precise: false);
    private long _quietSince = time.GetTimestamp();

    public int Trims { get; private set; }

    public void Check()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - _allocatedAtQuietStart > QuietBytes)
        {
            _allocatedAtQuietStart = allocated;
            _quietSince = time.GetTimestamp();
            return;
        }

        if (allocated - _allocatedAtTrim < TrimAfterBytes || time.GetElapsedTime(_quietSince) < s_quietFor)
        {
            return;
        }

        BlockMemoryPool.Instance.TrimTo(KeptBlocks);
        ByteArrayPool.Shared.Trim();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtTrim = GC.GetTotalAllocatedBytes(precise: false);
        _allocatedAtQuietStart = _allocatedAtTrim;
        Trims++;
    }
}
