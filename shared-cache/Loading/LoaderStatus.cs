namespace RedisRing.SharedCache.Loading;

/// <summary>What this process's loader host has done; the cache metrics tell what every process sees.</summary>
public sealed record LoaderStatus
{
    /// <summary>True while this process holds the loader lock.</summary>
    public bool IsLoader { get; init; }

    public long FullLoads { get; init; }

    public long IncrementalLoads { get; init; }

    /// <summary>Calls to the source (full and incremental): independent of how many processes read.</summary>
    public long SourceReads { get; init; }

    public long Failures { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>The last failure's message (the source unreachable, a malformed file...), null once a load succeeds.</summary>
    public string? LastError { get; init; }
}
