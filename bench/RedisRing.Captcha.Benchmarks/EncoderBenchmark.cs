using System.Diagnostics;
using System.Globalization;
using SkiaSharp;
using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Where render time goes: painting a background versus encoding it with each encoder setting
/// (mean milliseconds and bytes for one 320x160 background, single thread).
/// </summary>
internal static class EncoderBenchmark
{
    public static void Run(int count)
    {
        var info = new SKImageInfo(320, 160, SKColorType.Rgba8888, SKAlphaType.Premul);
        var encoders = new (string Name, Func<SKPixmap, SKData> Encode)[]
        {
            ("webp lossy q80 (service)", p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 80))!),
            ("webp lossy q50", p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 50))!),
            ("png zlib 6 (Skia default)", p => p.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))!),
            ("png PngWriter (service)", p => SKData.CreateCopy(PngWriter.Encode(p.GetPixelSpan(), p.Width, p.Height, p.RowBytes, keepAlpha: false))),
            ("png zlib 1, sub filter", p => p.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1))!),
            ("jpeg q80 (not offered)", p => p.Encode(new SKJpegEncoderOptions(80, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))!),
        };
        var paint = 0.0;
        var times = new double[encoders.Length];
        var sizes = new long[encoders.Length];
        for (var i = 0; i < count + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var surface = SKSurface.Create(info);
            BackgroundPainter.Paint(surface.Canvas, 320, 160, "light", Random.Shared);
            using var image = surface.Snapshot();
            using var pixels = image.PeekPixels();
            var painted = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            for (var e = 0; e < encoders.Length; e++)
            {
                start = Stopwatch.GetTimestamp();
                using var data = encoders[e].Encode(pixels);
                if (i >= 20)
                {
                    times[e] += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    sizes[e] += data.Size;
                }
            }

            if (i >= 20)
            {
                paint += painted;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paint background: {paint / count:F2} ms"));
        for (var e = 0; e < encoders.Length; e++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode {encoders[e].Name,-28} {times[e] / count:F2} ms, {sizes[e] / count / 1024.0:F1} KiB"));
        }
    }
}
