namespace RedisRing.SharedCache;

/// <summary>A point-in-time view of the cache, for health checks and metrics endpoints.</summary>
public sealed record SharedCacheMetrics
{
    public static SharedCacheMetrics Empty { get; } = new();

    public long RecordCount { get; init; }

    /// <summary>Counts completed loads (full or incremental) over the life of the cache.</summary>
    public long Generation { get; init; }

    /// <summary>Counts data files: 1 for the first, +1 for each growth or rebuild.</summary>
    public long FileGeneration { get; init; }

    public long FileBytes { get; init; }

    public long ArenaBytes { get; init; }

    public long UsedBytes { get; init; }

    public long FreeBytes { get; init; }

    /// <summary>Free blocks of each order that has any (order = log2 of the block size).</summary>
    public IReadOnlyList<FreeBlocks> FreeByOrder { get; init; } = [];

    /// <summary>0 when all free space is one block; near 1 when it is scattered in small blocks.</summary>
    public double Fragmentation { get; init; }

    /// <summary>When the loader last completed a load (null before the first).</summary>
    public DateTimeOffset? LastLoad { get; init; }

    /// <summary>How stale the data may be: the time since the last completed load.</summary>
    public TimeSpan? LastLoadAge { get; init; }

    /// <summary>Lookups by this reader (counted without atomics, so approximate across threads).</summary>
    public long Lookups { get; init; }

    /// <summary>Lookups by this reader that had to read again because the loader changed what they read.</summary>
    public long Retries { get; init; }
}

/// <summary>Free blocks of one order.</summary>
public readonly record struct FreeBlocks(int Order, long Count)
{
    public long BlockBytes => 1L << Order;

    public long Bytes => Count << Order;
}
