namespace RedisRing.SharedCache.Loading;

public sealed record SharedCacheLoaderOptions
{
    /// <summary>How often the whole collection is reloaded, whatever the incremental updates did.</summary>
    public TimeSpan FullReloadInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between two incremental checks (a file watch can wake it sooner).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a process that is not the loader tries to take the loader lock.</summary>
    public TimeSpan LockRetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}
