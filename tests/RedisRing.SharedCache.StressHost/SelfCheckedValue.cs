using System.Buffers.Binary;

namespace RedisRing.SharedCache.StressHost;

/// <summary>
/// A value that proves its own integrity: [length u32][key hash u64][counter u64][payload][checksum u64].
/// A torn read (parts of two writes, or reused bytes) fails the checksum or the key hash.
/// </summary>
internal static class SelfCheckedValue
{
    public const int Overhead = 28;

    public static byte[] Create(ReadOnlySpan<byte> key, long counter, int payloadLength, Random random)
    {
        var value = new byte[Overhead + payloadLength];
        BinaryPrimitives.WriteInt32LittleEndian(value, value.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(4), Fnv(key, 0));
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(12), counter);
        random.NextBytes(value.AsSpan(20, payloadLength));
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(value.Length - 8), Fnv(value.AsSpan(0, value.Length - 8), 1));
        return value;
    }

    public static bool IsIntact(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        value.Length >= Overhead
        && BinaryPrimitives.ReadInt32LittleEndian(value) == value.Length
        && BinaryPrimitives.ReadUInt64LittleEndian(value[4..]) == Fnv(key, 0)
        && BinaryPrimitives.ReadUInt64LittleEndian(value[^8..]) == Fnv(value[..^8], 1);

    private static ulong Fnv(ReadOnlySpan<byte> data, ulong seed)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
