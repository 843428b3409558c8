using System.Buffers.Binary;
using System.Numerics;

namespace RedisRing.SharedCache.Format;

/// <summary>
/// A fast 64-bit hash for keys (index buckets and tags) and record checksums. Every step is a
/// bijection of the state (of its lane, for long inputs), so a single flipped bit always changes
/// the result. Not cryptographic.
/// </summary>
internal static class Hash64
{
    private const ulong P1 = 0x9E3779B185EBCA87;
    private const ulong P2 = 0xC2B2AE3D27D4EB4F;
    private const ulong P3 = 0x165667B19E3779F9;

    public static ulong Compute(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        var h = seed ^ ((ulong)data.Length * P1) ^ P3;
        var i = 0;
        if (data.Length >= 64)
        {
            // Four independent lanes so long values hash at memory speed, not at one multiply chain's.
            ulong a = h, b = h ^ P1, c = h ^ P2, d = h ^ P3;
            for (; i + 32 <= data.Length; i += 32)
            {
                a = BitOperations.RotateLeft(a ^ (BinaryPrimitives.ReadUInt64LittleEndian(data[i..]) * P2), 31) * P1;
                b = BitOperations.RotateLeft(b ^ (BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 8)..]) * P2), 31) * P1;
                c = BitOperations.RotateLeft(c ^ (BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 16)..]) * P2), 31) * P1;
                d = BitOperations.RotateLeft(d ^ (BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 24)..]) * P2), 31) * P1;
            }

            // A sum is a bijection of each lane given the others, so one changed lane changes h.
            h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18);
        }

        for (; i + 8 <= data.Length; i += 8)
        {
            h = BitOperations.RotateLeft(h ^ (BinaryPrimitives.ReadUInt64LittleEndian(data[i..]) * P2), 31) * P1;
        }

        if (i < data.Length)
        {
            ulong tail = 0;
            for (var shift = 0; i < data.Length; i++, shift += 8)
            {
                tail |= (ulong)data[i] << shift;
            }

            h = BitOperations.RotateLeft(h ^ (tail * P2), 27) * P1;
        }

        return Finish(h);
    }

    public static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    /// <summary>Checksum of a record: its key and its value, each length-delimited.</summary>
    public static ulong Record(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        Compute(value, Compute(key, 0x5245434F5244));
}
