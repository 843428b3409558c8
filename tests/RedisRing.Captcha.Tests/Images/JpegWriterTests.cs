using RedisRing.Captcha.Images;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class JpegWriterTests
{
    [Theory]
    [InlineData(320, 160)]
    [InlineData(37, 23)] // not whole macroblocks: the last column and row repeat into the padding
    [InlineData(16, 16)]
    public void A_colourful_picture_decodes_close_to_itself_in_every_channel(int width, int height)
    {
        var rgba = new byte[width * height * 4];
        var random = new Random(5);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = ((y * width) + x) * 4;
                // Smooth colour in all three channels (chroma included), plus a little noise.
                rgba[at] = (byte)Math.Clamp((x * 255 / width) + random.Next(-6, 7), 0, 255);
                rgba[at + 1] = (byte)Math.Clamp((y * 255 / height) + random.Next(-6, 7), 0, 255);
                rgba[at + 2] = (byte)Math.Clamp(255 - ((x + y) * 255 / (width + height)) + random.Next(-6, 7), 0, 255);
                rgba[at + 3] = 255;
            }
        }

        using var jpeg = JpegWriter.Encode(rgba, width, height, 90);
        using var decoded = SKBitmap.Decode(jpeg.Span.ToArray());

        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        var errors = new double[3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixel = decoded.GetPixel(x, y);
                var at = ((y * width) + x) * 4;
                errors[0] += Math.Abs(pixel.Red - rgba[at]);
                errors[1] += Math.Abs(pixel.Green - rgba[at + 1]);
                errors[2] += Math.Abs(pixel.Blue - rgba[at + 2]);
            }
        }

        Assert.All(errors, sum => Assert.InRange(sum / (width * height), 0, 8));
    }

    [Fact]
    public void A_flat_picture_keeps_its_colour()
    {
        var rgba = Enumerable.Range(0, 64 * 48).SelectMany(_ => new byte[] { 200, 40, 90, 255 }).ToArray();

        using var jpeg = JpegWriter.Encode(rgba, 64, 48, 70);
        using var decoded = SKBitmap.Decode(jpeg.Span.ToArray());

        var pixel = decoded.GetPixel(30, 20);
        Assert.InRange(pixel.Red, 195, 205);
        Assert.InRange(pixel.Green, 35, 45);
        Assert.InRange(pixel.Blue, 85, 95);
    }
}
