namespace RedisRing.Ring;

/// <summary>
/// twemproxy's "fnv1a_64": despite the name it runs in 32 bits (the 64-bit offset basis and prime
/// truncated to their low 32 bits), and every key byte goes through a signed char first, so bytes
/// 0x80..0xFF are sign-extended (0xFFFFFF80..0xFFFFFFFF) before the XOR.
/// </summary>
internal static class Fnv1a64
{
    /// <summary>Low 32 bits of the FNV-1 64-bit offset basis 0xcbf29ce484222325.</summary>
    public const uint OffsetBasis = 0x84222325;

    /// <summary>Low 32 bits of the FNV-1 64-bit prime 0x100000001b3.</summary>
    public const uint Prime = 0x1b3;

    public static uint Hash(ReadOnlySpan<byte> key)
    {
        var hash = OffsetBasis;
        foreach (var b in key)
        {
            hash ^= (uint)(sbyte)b;
            hash *= Prime;
        }

        return hash;
    }
}
