using System.Buffers.Binary;
using System.IO.Hashing;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 section 3.2.4): the data as it is,
/// in blocks of at most 65,535 bytes, framed and checksummed. What a compressor at level 0
/// writes, without the compressor's set-up cost (zlib allocates and clears some 300 KB of tables
/// per stream, which cost more than copying a whole challenge image).
/// </summary>
internal static class StoredZlib
{
    private const int MaxBlock = ushort.MaxValue;

    /// <summary>Bytes <see cref="Write"/> produces for <paramref name="dataLength"/> bytes of data.</summary>
    public static int LengthFor(int dataLength) => 2 + (Math.Max(1, (dataLength + MaxBlock - 1) / MaxBlock) * 5) + dataLength + 4;

    /// <summary>Writes the stream into <paramref name="destination"/>, which must hold <see cref="LengthFor"/> bytes.</summary>
    public static void Write(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LengthFor(data.Length));

        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, "fastest", and
        // 0x7801 a multiple of 31 as the header check requires.
        destination[0] = 0x78;
        destination[1] = 0x01;
        var at = 2;
        var remaining = data;
        do
        {
            var block = remaining[..Math.Min(MaxBlock, remaining.Length)];
            remaining = remaining[block.Length..];
            destination[at] = remaining.IsEmpty ? (byte)1 : (byte)0; // BFINAL, BTYPE 00 (stored)
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(at + 1)..], (ushort)block.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(at + 3)..], (ushort)~block.Length);
            block.CopyTo(destination[(at + 5)..]);
            at += 5 + block.Length;
        }
        while (!remaining.IsEmpty);

        BinaryPrimitives.WriteUInt32BigEndian(destination[at..], Adler32.HashToUInt32(data));
    }
}
