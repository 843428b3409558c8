namespace RedisRing.SharedCache.Benchmarks;

/// <summary>A cache path of the benchmark's own under /dev/shm, removed afterwards.</summary>
internal sealed class BenchCache : IDisposable
{
    public BenchCache(long initialArenaBytes)
    {
        Directory = Path.Combine("/dev/shm", "redisring-cache-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Options = new SharedCacheOptions { Path = Path.Combine(Directory, "settings.cache"), InitialArenaBytes = initialArenaBytes };
    }

    public string Directory { get; }

    public SharedCacheOptions Options { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
