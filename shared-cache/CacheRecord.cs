using System.Text;

namespace RedisRing.SharedCache;

/// <summary>One record of a full batch: a key and its serialized value.</summary>
public readonly record struct CacheRecord(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)
{
    public static CacheRecord From(string key, ReadOnlyMemory<byte> value) => new(Encoding.UTF8.GetBytes(key), value);
}
