namespace RedisRing.SharedCache;

/// <summary>Base of every error the shared cache reports.</summary>
public class SharedCacheException : Exception
{
    public SharedCacheException()
    {
    }

    public SharedCacheException(string message)
        : base(message)
    {
    }

    public SharedCacheException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
