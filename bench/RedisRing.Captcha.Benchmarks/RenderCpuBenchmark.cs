using System.Globalization;
using System.Security.Cryptography;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;
using SkiaSharp;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// CPU milliseconds per render of the default format (JPEG background, PNG piece) on one thread,
/// and where they go: the whole render, the background's painting (shapes and gradient, in
/// palette indices), the JPEG encoding of a finished background and the PNG encoding of a
/// finished piece. CPU time rather than wall time: it stays meaningful on a busy machine, and
/// what two workers on two cores can issue follows from it (2 x 1000 / ms per render).
/// </summary>
internal static class RenderCpuBenchmark
{
    private const int Width = 320;
    private const int Height = 160;

    public static void Run(int count)
    {
        var sample = Render();
        var background = Decode(sample.Background);
        // Decoding smoothed the noise away (fewer non-zero coefficients, a cheaper encoding than
        // the service's): put noise of the same kind back, as the renderer does before encoding.
        new PixelNoise(Random.Shared).AddTo(background);
        var piece = Decode(sample.Piece);
        var pieceSize = sample.PieceSize;
        var indices = new byte[Width * Height];
        for (var i = 0; i < 100; i++)
        {
            // Warm-up: JIT (the hot loops are AggressiveOptimization, the rest tiers up), Skia.
            Render();
            BackgroundPainter.Paint(indices, Width, Height, Random.Shared);
            ImageEncoder.Encode(background, Width, Height, ImageFormat.Jpeg, opaque: true).Dispose();
            ImageEncoder.Encode(piece, pieceSize, pieceSize, ImageFormat.Png, opaque: false).Dispose();
        }

        long bytes = 0;
        var render = Measure(count, () => bytes += Render().ImagesJson.Length);
        var paint = Measure(count, () => BackgroundPainter.Paint(indices, Width, Height, Random.Shared));
        var jpeg = Measure(count, () => ImageEncoder.Encode(background, Width, Height, ImageFormat.Jpeg, opaque: true).Dispose());
        var png = Measure(count, () => ImageEncoder.Encode(piece, pieceSize, pieceSize, ImageFormat.Png, opaque: false).Dispose());
        var encoded = (sample.Background.Length + sample.Piece.Length) / 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render jpeg {Width}x{Height}: {render:F3} CPU ms per render (one thread, {count} renders) => {2000 / render:F0} challenges/s on 2 cores; {encoded:F1} KiB per challenge (sample: background {sample.Background.Length / 1024.0:F1} + piece {sample.Piece.Length / 1024.0:F1}), JSON {bytes / (double)count / 1024.0:F1} KiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of which: paint {paint:F3} ms, jpeg background {jpeg:F3} ms, png piece {png:F3} ms, the rest (palette, expand, cut, holes, noise, JSON, and the encoders on a colder cache than here) {render - paint - jpeg - png:F3} ms"));
    }

    private static double Measure(int count, Action action)
    {
        var start = ThreadCpu.Milliseconds();
        for (var i = 0; i < count; i++)
        {
            action();
        }

        return (ThreadCpu.Milliseconds() - start) / count;
    }

    /// <summary>A served image decoded back to RGBA: what the encoders get, holes, noise and all.</summary>
    private static byte[] Decode(byte[] encoded)
    {
        using var decoded = SKBitmap.Decode(encoded);
        using var converted = decoded.Copy(SKColorType.Rgba8888);
        return converted.GetPixelSpan().ToArray();
    }

    private static RenderedPuzzle Render() =>
        PuzzleRenderer.Render(new PuzzleSpec(Width, Height, "light", 1, ImageFormat.Jpeg, RandomNumberGenerator.GetInt32(58, 268), RandomNumberGenerator.GetInt32(4, 108)), Random.Shared);
}
