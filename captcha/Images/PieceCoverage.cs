using System.Collections.Concurrent;
using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The jigsaw outline rasterised with anti-aliasing into three 0-255 coverage maps of one
/// bounding box: the body (the piece's alpha, the hole's extent), the rim (a thin stroke along
/// the outline, drawn light) and the inner shadow (a band just inside the top and left edges,
/// which makes a hole read as a hole). Fractional coverage instead of inside/outside cells means
/// no pixel of a hole or piece is a fixed colour: each edge pixel is a blend whose weights depend
/// on where the outline crosses it, over a picture that differs per challenge.
/// </summary>
internal sealed class PieceCoverage
{
    private const float RimWidth = 1.6f;
    private const int ShadowOffset = 3;

    private static readonly ConcurrentDictionary<int, PieceCoverage> Cache = new();

    private PieceCoverage(int size, byte[] body, byte[] rim, byte[] shadow) => (Size, Body, Rim, Shadow) = (size, body, rim, shadow);

    public int Size { get; }

    /// <summary>Row after row, <see cref="Size"/> bytes each.</summary>
    public byte[] Body { get; }

    public byte[] Rim { get; }

    public byte[] Shadow { get; }

    /// <summary>The coverage maps for a bounding box of <paramref name="size"/>; built once per size.</summary>
    public static PieceCoverage For(int size) => Cache.GetOrAdd(size, Create);

    private static PieceCoverage Create(int size)
    {
        using var outline = PuzzleShape.Create(0, 0, size);
        var body = Rasterise(size, outline, new SKPaint { IsAntialias = true, Color = SKColors.Black });
        var rim = Rasterise(size, outline, new SKPaint { IsAntialias = true, Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = RimWidth });
        // Inside the body but not inside the body moved down and right: the top and left band.
        var shadow = new byte[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var shifted = x >= ShadowOffset && y >= ShadowOffset ? body[((y - ShadowOffset) * size) + x - ShadowOffset] : 0;
                shadow[(y * size) + x] = (byte)Math.Max(0, body[(y * size) + x] - shifted);
            }
        }

        return new PieceCoverage(size, body, rim, shadow);
    }

    private static unsafe byte[] Rasterise(int size, SKPath outline, SKPaint paint)
    {
        using (paint)
        {
            var coverage = new byte[size * size];
            fixed (byte* address = coverage)
            {
                using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul), (IntPtr)address, size)
                    ?? throw new InvalidOperationException("Skia could not wrap the coverage map in a surface.");
                surface.Canvas.DrawPath(outline, paint);
                surface.Canvas.Flush();
            }

            return coverage;
        }
    }
}
