using System.Text;

namespace RedisRing.SharedCache;

/// <summary>One incremental change: a record replaced (or added), or a record deleted.</summary>
public readonly record struct CacheChange(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, bool IsDelete)
{
    public static CacheChange Upsert(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value) => new(key, value, false);

    public static CacheChange Upsert(string key, ReadOnlyMemory<byte> value) => new(Encoding.UTF8.GetBytes(key), value, false);

    public static CacheChange Delete(ReadOnlyMemory<byte> key) => new(key, ReadOnlyMemory<byte>.Empty, true);

    public static CacheChange Delete(string key) => new(Encoding.UTF8.GetBytes(key), ReadOnlyMemory<byte>.Empty, true);
}
