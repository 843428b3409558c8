namespace RedisRing.SharedCache;

/// <summary>The records do not fit even in a file of the configured maximum size.</summary>
public sealed class SharedCacheFullException : SharedCacheException
{
    public SharedCacheFullException()
    {
    }

    public SharedCacheFullException(string message)
        : base(message)
    {
    }

    public SharedCacheFullException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
