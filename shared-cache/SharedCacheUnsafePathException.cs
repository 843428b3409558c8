namespace RedisRing.SharedCache;

/// <summary>
/// The cache directory or one of its files could have been made or changed by someone else (another
/// owner, access for group or others, a symbolic link where a file should be): it is not used.
/// </summary>
public sealed class SharedCacheUnsafePathException : SharedCacheException
{
    public SharedCacheUnsafePathException()
    {
    }

    public SharedCacheUnsafePathException(string message)
        : base(message)
    {
    }

    public SharedCacheUnsafePathException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
