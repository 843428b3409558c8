namespace RedisRing.SharedCache;

/// <summary>The cache file is not a valid file of this layout version: bad magic, version, checksum or offsets.</summary>
public sealed class SharedCacheCorruptException : SharedCacheException
{
    public SharedCacheCorruptException()
    {
    }

    public SharedCacheCorruptException(string message)
        : base(message)
    {
    }

    public SharedCacheCorruptException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
