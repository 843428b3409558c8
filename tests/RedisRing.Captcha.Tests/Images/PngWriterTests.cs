using RedisRing.Captcha.Images;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PngWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Rgba_decodes_to_the_same_pixels_with_their_alpha(int level)
    {
        var (width, height) = (13, 7);
        var rgba = new byte[width * height * 4];
        new Random(4).NextBytes(rgba);
        for (var i = 3; i < rgba.Length; i += 4)
        {
            rgba[i] = (byte)(i % 3 == 0 ? 255 : i % 3 == 1 ? 0 : 128);
        }

        using var png = PngWriter.EncodeRgba(rgba, width, height, level);
        using var codec = SKCodec.Create(new MemoryStream(png.Span.ToArray()));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var decoded = new byte[width * height * 4];
        unsafe
        {
            fixed (byte* address = decoded)
            {
                Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, (IntPtr)address));
            }
        }

        Assert.Equal(rgba, decoded);
    }
}
