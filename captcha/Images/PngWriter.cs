using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A minimal PNG encoder for 8-bit palette images: one byte per pixel, rows unfiltered (filters
/// predict neighbouring values, which palette indices are not), one IDAT chunk. At level 0 the
/// rows are stored as they are (<see cref="StoredZlib"/>): for a 320x160 challenge that is 51 KB
/// written at memory speed; levels 1-9 go through .NET's zlib (zlib-ng), about 20 KB at level 1
/// for some ten times the encoding time (docs/benchmarks-captcha.md). The file is written into
/// one array (pooled, for the service; exactly sized, for everyone else).
/// </summary>
internal static class PngWriter
{
    private const int ChunkOverhead = 12; // length, type, CRC
    private const int HeaderLength = 13;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Encodes <paramref name="indices"/> (row after row, <paramref name="width"/> bytes each)
    /// with the palette <paramref name="paletteRgb"/> (three bytes an entry). With
    /// <paramref name="firstEntryTransparent"/> entry 0 is fully transparent and the rest opaque.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> indices, int width, int height, ReadOnlySpan<byte> paletteRgb, bool firstEntryTransparent, int compressionLevel)
    {
        using var png = EncodePooled(indices, width, height, paletteRgb, firstEntryTransparent, compressionLevel);
        return png.ToArray();
    }

    /// <summary>As <see cref="Encode"/>, into a rented array the caller disposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RentedBytes EncodePooled(ReadOnlySpan<byte> indices, int width, int height, ReadOnlySpan<byte> paletteRgb, bool firstEntryTransparent, int compressionLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(indices.Length, width * height);
        ArgumentOutOfRangeException.ThrowIfZero(paletteRgb.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(paletteRgb.Length, 256 * 3);
        if (paletteRgb.Length % 3 != 0)
        {
            throw new ArgumentException("A palette has three bytes per entry.", nameof(paletteRgb));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);

        var rowBytes = 1 + width;
        var rawLength = rowBytes * height;
        var rows = ArrayPool<byte>.Shared.Rent(rawLength);
        try
        {
            for (var y = 0; y < height; y++)
            {
                rows[y * rowBytes] = 0; // filter type 0: none
                indices.Slice(y * width, width).CopyTo(rows.AsSpan((y * rowBytes) + 1));
            }

            var raw = rows.AsSpan(0, rawLength);
            var compressed = compressionLevel == 0 ? null : Compress(raw, compressionLevel);
            var idatLength = compressed?.Length ?? StoredZlib.LengthFor(rawLength);
            var rented = RentedBytes.Rent(Signature.Length + (ChunkOverhead * 4) + HeaderLength + paletteRgb.Length + (firstEntryTransparent ? ChunkOverhead + 1 : 0) + idatLength);
            var png = rented.Array;
            Signature.CopyTo(png);
            var at = Signature.Length;

            var header = ChunkData(png, at, "IHDR"u8, HeaderLength);
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8; // bits per index
            header[9] = 3; // colour type: palette
            header[10..].Clear(); // compression, filter method, interlacing: deflate, adaptive, none (the array is rented, not zeroed)
            at = EndChunk(png, at, HeaderLength);

            paletteRgb.CopyTo(ChunkData(png, at, "PLTE"u8, paletteRgb.Length));
            at = EndChunk(png, at, paletteRgb.Length);
            if (firstEntryTransparent)
            {
                // tRNS lists alpha for the first entries only; the ones it leaves out are opaque.
                ChunkData(png, at, "tRNS"u8, 1)[0] = 0;
                at = EndChunk(png, at, 1);
            }

            var idat = ChunkData(png, at, "IDAT"u8, idatLength);
            if (compressed is null)
            {
                StoredZlib.Write(raw, idat);
            }
            else
            {
                compressed.AsSpan().CopyTo(idat);
            }

            at = EndChunk(png, at, idatLength);
            ChunkData(png, at, "IEND"u8, 0);
            EndChunk(png, at, 0);
            return rented;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> raw, int level)
    {
        var output = new MemoryStream((raw.Length / 2) + 64);
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
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
