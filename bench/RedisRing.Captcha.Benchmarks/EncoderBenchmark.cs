using System.Diagnostics;
using System.Globalization;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Where render time goes: painting a background in palette indices versus encoding it with
/// each encoder setting (mean microseconds and bytes for one 320x160 background, single thread).
/// </summary>
internal static class EncoderBenchmark
{
    private const int Width = 320;
    private const int Height = 160;

    public static void Run(int count)
    {
        var encoders = new (string Name, ImageFormat Format, int Level)[]
        {
            ("png stored, level 0 (service default)", ImageFormat.Png, 0),
            ("png zlib level 1", ImageFormat.Png, 1),
            ("png zlib level 2", ImageFormat.Png, 2),
            ("png zlib level 6", ImageFormat.Png, 6),
            ("webp lossy q80", ImageFormat.Webp, 0),
        };
        var pixels = new byte[Width * Height];
        var paint = 0.0;
        var times = new double[encoders.Length];
        var sizes = new long[encoders.Length];
        for (var i = 0; i < count + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var palette = PuzzlePalette.Create("light", Random.Shared);
            BackgroundPainter.Paint(pixels, Width, Height, Random.Shared);
            var painted = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            for (var e = 0; e < encoders.Length; e++)
            {
                start = Stopwatch.GetTimestamp();
                using var data = PuzzleRenderer.Encode(pixels, Width, Height, palette, encoders[e].Format, encoders[e].Level, transparent: false);
                if (i >= 20)
                {
                    times[e] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    sizes[e] += data.Span.Length;
                }
            }

            if (i >= 20)
            {
                paint += painted;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paint background (palette, gradient, shapes, noise): {paint / count:F0} us"));
        for (var e = 0; e < encoders.Length; e++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode {encoders[e].Name,-38} {times[e] / count,6:F0} us, {sizes[e] / count / 1024.0:F1} KiB"));
        }
    }
}
