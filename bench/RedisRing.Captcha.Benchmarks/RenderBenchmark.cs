using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Time to render one challenge (background, real hole, decoy, piece, both encoded) on one
/// thread, then challenges per second rendered by two threads at once (the service's default of
/// two worker processes, each with one render thread, on a 2-core machine).
/// </summary>
internal static class RenderBenchmark
{
    private const int Threads = 2;

    public static void Run(int count)
    {
        foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.Png })
        {
            // Warm-up: JIT, Skia's codecs.
            for (var i = 0; i < 50; i++)
            {
                Render(format);
            }

            var times = new double[count];
            long backgroundBytes = 0, pieceBytes = 0;
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var puzzle = Render(format);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                backgroundBytes += puzzle.Background.Length;
                pieceBytes += puzzle.Piece.Length;
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"render {format,-4} 320x160, 1 decoy: median {Percentiles.Of(times, 50):F2} ms, p99 {Percentiles.Of(times, 99):F2} ms, max {times[^1]:F2} ms, {(backgroundBytes + pieceBytes) / count / 1024.0:F1} KiB per challenge (background {backgroundBytes / count / 1024.0:F1} + piece {pieceBytes / count / 1024.0:F1}; {count} renders, one thread)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"render {format,-4} {Threads} threads: {RendersPerSecond(format, count):F0} challenges/s"));
        }
    }

    private static double RendersPerSecond(ImageFormat format, int count)
    {
        var start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                Render(format);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return Threads * count / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static RenderedPuzzle Render(ImageFormat format) =>
        PuzzleRenderer.Render(new PuzzleSpec(320, 160, "light", 1, format, RandomNumberGenerator.GetInt32(58, 268), RandomNumberGenerator.GetInt32(4, 108)), Random.Shared);
}
