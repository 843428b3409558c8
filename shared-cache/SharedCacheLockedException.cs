namespace RedisRing.SharedCache;

/// <summary>Another process holds the loader lock of this cache.</summary>
public sealed class SharedCacheLockedException : SharedCacheException
{
    public SharedCacheLockedException()
    {
    }

    public SharedCacheLockedException(string message)
        : base(message)
    {
    }

    public SharedCacheLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
