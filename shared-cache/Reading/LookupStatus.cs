namespace RedisRing.SharedCache.Reading;

public enum LookupStatus
{
    /// <summary>No record has this key.</summary>
    NotFound = 0,

    /// <summary>The value was copied into the destination.</summary>
    Found = 1,

    /// <summary>The record exists but the destination is shorter than the value (its length is returned).</summary>
    BufferTooSmall = 2,

    /// <summary>No consistent read was possible (a corrupted file); the loader will rebuild it.</summary>
    Unavailable = 3,
}
