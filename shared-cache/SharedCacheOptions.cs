namespace RedisRing.SharedCache;

/// <summary>Where the cache lives and how large its file may become.</summary>
public sealed record SharedCacheOptions
{
    /// <summary>
    /// The published path: a symbolic link to the current data file beside it. Under /dev/shm by
    /// default so the file lives in memory and every process on the host maps the same pages.
    /// </summary>
    public string Path { get; init; } = "/dev/shm/redisring-settings.cache";

    /// <summary>Arena size of a new file; it doubles (at least) whenever the records outgrow it.</summary>
    public long InitialArenaBytes { get; init; } = 1L << 20;

    /// <summary>The loader refuses to grow the arena past this size.</summary>
    public long MaxArenaBytes { get; init; } = 1L << 34;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal string LockPath => Path + ".lock";
}
