using System.Diagnostics;
using System.Globalization;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Where render time goes: a whole challenge rendered versus encoding its 320x160 background
/// with each encoder (mean microseconds and bytes, single thread). The background is a real
/// challenge's, decoded back, so it carries the holes and the noise the service encodes.
/// </summary>
internal static class EncoderBenchmark
{
    private const int Width = 320;
    private const int Height = 160;

    public static void Run(int count)
    {
        var encoders = new (string Name, ImageFormat Format)[]
        {
            ($"jpeg q{ImageEncoder.JpegQuality} (service default)", ImageFormat.Jpeg),
            ($"webp lossy q{ImageEncoder.WebpQuality}", ImageFormat.Webp),
            ("png zlib level 1, true colour", ImageFormat.Png),
        };
        var render = 0.0;
        var times = new double[encoders.Length];
        var sizes = new long[encoders.Length];
        for (var i = 0; i < count + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var puzzle = PuzzleRenderer.Render(new PuzzleSpec(Width, Height, "light", 1, ImageFormat.Png, 150, 60), Random.Shared);
            var rendered = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            using var bitmap = SkiaSharp.SKBitmap.Decode(puzzle.Background).Copy(SkiaSharp.SKColorType.Rgba8888);
            var pixels = bitmap.GetPixelSpan().ToArray();
            for (var e = 0; e < encoders.Length; e++)
            {
                start = Stopwatch.GetTimestamp();
                using var data = ImageEncoder.Encode(pixels, Width, Height, encoders[e].Format, opaque: true);
                if (i >= 20)
                {
                    times[e] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    sizes[e] += data.Span.Length;
                }
            }

            if (i >= 20)
            {
                render += rendered;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render a whole PNG challenge (paint, holes, noise, encode both): {render / count:F0} us"));
        for (var e = 0; e < encoders.Length; e++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode background {encoders[e].Name,-30} {times[e] / count,6:F0} us, {sizes[e] / count / 1024.0:F1} KiB"));
        }
    }
}
