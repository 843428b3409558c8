using RedisRing.Captcha.Images;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PngWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void A_palette_image_decodes_with_skia_to_exactly_the_palette_colours(int compressionLevel)
    {
        var (width, height, entries) = (37, 23, 200);
        var random = new Random(compressionLevel);
        var indices = new byte[width * height];
        random.NextBytes(indices);
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = (byte)(indices[i] % entries);
        }

        var palette = new byte[entries * 3];
        random.NextBytes(palette);

        var png = PngWriter.Encode(indices, width, height, palette, firstEntryTransparent: false, compressionLevel);

        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        // The file is exactly its chunks: it ends with IEND and its fixed CRC, no slack after.
        Assert.Equal([0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82], png[^12..]);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var entry = indices[(y * width) + x] * 3;
                Assert.Equal(new SKColor(palette[entry], palette[entry + 1], palette[entry + 2], 255), decoded.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void With_a_transparent_first_entry_only_that_entry_is_transparent()
    {
        byte[] indices = [0, 1, 2, 0, 2, 1];
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];

        var png = PngWriter.Encode(indices, 3, 2, palette, firstEntryTransparent: true, compressionLevel: 0);

        using var decoded = SKBitmap.Decode(png);
        Assert.Equal([0, 255, 255, 0, 255, 255], Enumerable.Range(0, 6).Select(i => (int)decoded.GetPixel(i % 3, i / 3).Alpha));
        Assert.Equal(new SKColor(70, 80, 90, 255), decoded.GetPixel(2, 0));
    }

    [Fact]
    public void Pooled_buffers_with_old_contents_never_leak_into_the_file()
    {
        byte[] indices = [0, 1, 1, 0];
        byte[] palette = [10, 20, 30, 40, 50, 60];
        var clean = PngWriter.Encode(indices, 2, 2, palette, firstEntryTransparent: true, compressionLevel: 0);
        // Hand this thread's pool dirty arrays of the sizes the writer rents.
        foreach (var size in new[] { clean.Length, 6 })
        {
            var dirty = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
            dirty.AsSpan().Fill(0xFF);
            System.Buffers.ArrayPool<byte>.Shared.Return(dirty);
        }

        using var pooled = PngWriter.EncodePooled(indices, 2, 2, palette, firstEntryTransparent: true, compressionLevel: 0);

        Assert.Equal(clean, pooled.ToArray());
        Assert.Equal([0, 0, 0], clean[26..29]); // IHDR: compression, filter method, interlacing
    }

    [Fact]
    public void Sizes_palettes_and_levels_that_cannot_make_a_png_are_refused()
    {
        var indices = new byte[100];
        var palette = new byte[30];

        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(indices, 0, 10, palette, false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(indices, 10, 11, palette, false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(indices, 10, 10, [], false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(indices, 10, 10, new byte[257 * 3], false, 0));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(indices, 10, 10, new byte[31], false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(indices, 10, 10, palette, false, 10));
    }
}
