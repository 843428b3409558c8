using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A minimal PNG encoder for 8-bit RGBA (straight alpha): every row with the Sub filter (noise
/// leaves little for a search over filters to find), one IDAT chunk compressed by .NET's zlib
/// at the given level. Skia's encoder took several times longer for the 48x48 piece, most of it
/// set-up per call rather than compression (docs/benchmarks-captcha.md).
/// </summary>
internal static class PngWriter
{
    private const int ChunkOverhead = 12; // length, type, CRC
    private const int HeaderLength = 13;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RentedBytes EncodeRgba(ReadOnlySpan<byte> rgba, int width, int height, int compressionLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, width * height * 4);
        var rowBytes = 1 + (width * 4);
        var rawLength = rowBytes * height;
        var rows = ArrayPool<byte>.Shared.Rent(rawLength);
        try
        {
            for (var y = 0; y < height; y++)
            {
                var source = rgba.Slice(y * width * 4, width * 4);
                var target = rows.AsSpan((y * rowBytes) + 1, width * 4);
                rows[y * rowBytes] = 1; // filter type 1: Sub, each byte less the same channel of the pixel to its left
                source[..4].CopyTo(target);
                for (var i = 4; i < target.Length; i++)
                {
                    target[i] = (byte)(source[i] - source[i - 4]);
                }
            }

            var compressed = Compress(rows.AsSpan(0, rawLength), compressionLevel);
            var rented = RentedBytes.Rent(Signature.Length + (ChunkOverhead * 3) + HeaderLength + (int)compressed.Length);
            var png = rented.Array;
            Signature.CopyTo(png);
            var at = Signature.Length;

            var header = ChunkData(png, at, "IHDR"u8, HeaderLength);
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8; // bits per channel
            header[9] = 6; // colour type: RGBA
            header[10..].Clear(); // compression, filter method, interlacing: deflate, adaptive, none (the array is rented, not zeroed)
            at = EndChunk(png, at, HeaderLength);

            compressed.GetBuffer().AsSpan(0, (int)compressed.Length).CopyTo(ChunkData(png, at, "IDAT"u8, (int)compressed.Length));
            at = EndChunk(png, at, (int)compressed.Length);
            ChunkData(png, at, "IEND"u8, 0);
            EndChunk(png, at, 0);
            return rented;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private static MemoryStream Compress(ReadOnlySpan<byte> raw, int level)
    {
        var output = new MemoryStream((raw.Length / 2) + 64);
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output;
    }

    /// <summary>Writes a chunk's length and type at <paramref name="at"/>; returns where its data goes.</summary>
    private static Span<byte> ChunkData(byte[] png, int at, ReadOnlySpan<byte> type, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(at), length);
        type.CopyTo(png.AsSpan(at + 4));
        return png.AsSpan(at + 8, length);
    }

    /// <summary>Writes the CRC of the chunk's type and data; returns where the next chunk starts.</summary>
    private static int EndChunk(byte[] png, int at, int length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(at + 8 + length), Crc32.HashToUInt32(png.AsSpan(at + 4, 4 + length)));
        return at + ChunkOverhead + length;
    }
}
