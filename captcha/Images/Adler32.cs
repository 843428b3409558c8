using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The Adler-32 checksum that ends a zlib stream (RFC 1950), for the stored (uncompressed) zlib
/// streams <see cref="StoredZlib"/> writes without going through a compressor.
/// </summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    /// <summary>The most bytes that can be summed before the 32-bit sums must be reduced (zlib's NMAX).</summary>
    private const int BlockBeforeReduce = 5552;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(BlockBeforeReduce, data.Length)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }
}
