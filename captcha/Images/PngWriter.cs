using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A minimal PNG encoder for 8-bit RGB or RGBA pixels: one IDAT chunk compressed by .NET's zlib
/// (zlib-ng) at its fastest level, rows filtered with "Sub". Skia's PNG encoder tries every filter
/// per row and uses classic zlib; for the noisy, never-repeated backgrounds served here this
/// writer is several times faster for a modestly larger file.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Encodes pixels given as RGBA rows (4 bytes a pixel, non-premultiplied); with
    /// <paramref name="keepAlpha"/> false the alpha byte is dropped (the image must be opaque).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgba, int width, int height, int stride, bool keepAlpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, (stride * (height - 1)) + (width * 4));

        var channels = keepAlpha ? 4 : 3;
        var rowBytes = 1 + (width * channels);
        var filtered = ArrayPool<byte>.Shared.Rent(rowBytes * height);
        try
        {
            for (var y = 0; y < height; y++)
            {
                FilterRowSub(rgba.Slice(y * stride, width * 4), filtered.AsSpan(y * rowBytes, rowBytes), channels);
            }

            var output = new MemoryStream((rowBytes * height / 2) + 128);
            output.Write(Signature);
            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8;                          // bits per channel
            header[9] = (byte)(keepAlpha ? 6 : 2);  // colour type: RGBA or RGB
            // compression, filter method and interlacing stay 0: deflate, adaptive filters, none.
            WriteChunk(output, "IHDR"u8, header);

            // IDAT: length and type first, the zlib stream, then its length and CRC patched in.
            var idatStart = output.Position;
            output.Write([0, 0, 0, 0, (byte)'I', (byte)'D', (byte)'A', (byte)'T']);
            using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(filtered, 0, rowBytes * height);
            }

            var dataLength = (int)(output.Position - idatStart - 8);
            var buffer = output.GetBuffer();
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan((int)idatStart), dataLength);
            WriteCrc(output, buffer.AsSpan((int)idatStart + 4, 4 + dataLength));
            WriteChunk(output, "IEND"u8, []);
            return output.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(filtered);
        }
    }

    /// <summary>Filter type 1 ("Sub"): each byte minus the same channel of the pixel to its left.</summary>
    private static void FilterRowSub(ReadOnlySpan<byte> source, Span<byte> row, int channels)
    {
        row[0] = 1;
        var output = row[1..];
        byte r = 0, g = 0, b = 0, a = 0;
        for (int x = 0, s = 0, o = 0; o < output.Length; x++, s += 4, o += channels)
        {
            var (nr, ng, nb) = (source[s], source[s + 1], source[s + 2]);
            output[o] = (byte)(nr - r);
            output[o + 1] = (byte)(ng - g);
            output[o + 2] = (byte)(nb - b);
            (r, g, b) = (nr, ng, nb);
            if (channels == 4)
            {
                var na = source[s + 3];
                output[o + 3] = (byte)(na - a);
                a = na;
            }
        }
    }

    private static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var start = (int)output.Position;
        output.Write(type);
        output.Write(data);
        WriteCrc(output, output.GetBuffer().AsSpan(start, type.Length + data.Length));
    }

    private static void WriteCrc(MemoryStream output, ReadOnlySpan<byte> typeAndData)
    {
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typeAndData));
        output.Write(crc);
    }
}
