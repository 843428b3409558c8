using RedisRing.Captcha.Images;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PngWriterTests
{
    [Fact]
    public void An_opaque_image_decodes_with_skia_to_exactly_the_written_pixels()
    {
        var (width, height, stride) = (37, 23, (37 * 4) + 12);
        var rgba = RandomPixels(stride, height, seed: 1, opaque: true);

        var png = PngWriter.Encode(rgba, width, height, stride, keepAlpha: false);

        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = (y * stride) + (x * 4);
                Assert.Equal(new SKColor(rgba[at], rgba[at + 1], rgba[at + 2], 255), decoded.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void Straight_alpha_survives_encoding_byte_for_byte()
    {
        var (width, height) = (19, 31);
        var rgba = RandomPixels(width * 4, height, seed: 2, opaque: false);

        var png = PngWriter.Encode(rgba, width, height, width * 4, keepAlpha: true);

        // Decode into the same layout PNG stores: RGBA, not premultiplied.
        using var codec = SKCodec.Create(new SKMemoryStream(png));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, decoded.GetPixels()));
        Assert.Equal(rgba, decoded.GetPixelSpan().ToArray());
    }

    [Fact]
    public void A_rendered_png_puzzle_matches_what_skia_drew()
    {
        var spec = new PuzzleSpec(320, 160, "dark", 1, Captcha.Settings.ImageFormat.Png, PieceX: 100, PieceY: 50);
        var puzzle = PuzzleRenderer.Render(spec, new Random(7));

        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);

        Assert.Equal(SKAlphaType.Opaque, background.AlphaType);
        Assert.Equal((320, 160), (background.Width, background.Height));
        Assert.NotEqual(SKAlphaType.Opaque, piece.AlphaType);
    }

    [Fact]
    public void Sizes_and_strides_that_cannot_hold_the_image_are_refused()
    {
        var pixels = new byte[10 * 10 * 4];

        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(pixels, 0, 10, 40, keepAlpha: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(pixels, 10, 10, 39, keepAlpha: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(pixels, 10, 11, 40, keepAlpha: false));
    }

    private static byte[] RandomPixels(int stride, int height, int seed, bool opaque)
    {
        var bytes = new byte[stride * height];
        new Random(seed).NextBytes(bytes);
        if (opaque)
        {
            for (var i = 3; i < bytes.Length; i += 4)
            {
                bytes[i] = 255;
            }
        }

        return bytes;
    }
}
