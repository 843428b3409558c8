using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>Time to render one challenge (background, notch, decoy, piece, both encoded), single thread.</summary>
internal static class RenderBenchmark
{
    public static void Run(int count)
    {
        foreach (var (format, level) in new[] { (ImageFormat.Webp, 0), (ImageFormat.Png, 0), (ImageFormat.Png, 1) })
        {
            // Warm-up: JIT, Skia's codecs and font caches.
            for (var i = 0; i < 50; i++)
            {
                Render(format, level);
            }

            var times = new double[count];
            long bytes = 0;
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var puzzle = Render(format, level);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                bytes += puzzle.Background.Length + puzzle.Piece.Length;
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"render {format,-4} {(format == ImageFormat.Png ? $"level {level}" : "q80"),-7} 320x160, 1 decoy: median {Percentiles.Of(times, 50):F2} ms, p99 {Percentiles.Of(times, 99):F2} ms, max {times[^1]:F2} ms, {bytes / count / 1024.0:F1} KiB per challenge ({count} renders, one thread)"));
        }
    }

    private static RenderedPuzzle Render(ImageFormat format, int pngCompressionLevel) =>
        PuzzleRenderer.Render(new PuzzleSpec(320, 160, "light", 1, format, RandomNumberGenerator.GetInt32(58, 268), RandomNumberGenerator.GetInt32(4, 108)), Random.Shared, pngCompressionLevel);
}
