using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Rasterises a background's random shapes with Skia into a layer map: one byte per pixel, 0
/// where no shape is, else the tint layer (1-3) of the topmost shape covering it. Skia draws into
/// an 8-bit alpha surface over that map with anti-aliasing off and the Src blend mode, so every
/// pixel it touches gets the layer number exactly, never a blend of two (which would not be a
/// palette entry).
/// </summary>
/// <remarks>
/// Each thread keeps its surface, paint and path: creating Skia objects per challenge (each one
/// registered in SkiaSharp's global handle table, then finalised) cost more in the service than
/// the drawing itself.
/// </remarks>
internal sealed class ShapePainter : IDisposable
{
    [ThreadStatic]
    private static ShapePainter? s_current;

    private readonly byte[] _layers;
    private readonly SKSurface _surface;
    private readonly SKPaint _paint = new() { IsAntialias = false, BlendMode = SKBlendMode.Src };
    private readonly SKPath _triangle = new();

    private unsafe ShapePainter(int width, int height)
    {
        (Width, Height) = (width, height);
        _layers = GC.AllocateArray<byte>(width * height, pinned: true);
        fixed (byte* address = _layers)
        {
            // The array is pinned for its whole life, so the surface may keep its address.
            _surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul), (IntPtr)address, width)
                ?? throw new InvalidOperationException("Skia could not wrap the layer map in a surface.");
        }
    }

    private int Width { get; }

    private int Height { get; }

    /// <summary>
    /// Paints 10-17 random shapes and returns the layer map, which stays valid until this thread
    /// paints again.
    /// </summary>
    public static ReadOnlySpan<byte> Paint(int width, int height, Random random)
    {
        var painter = s_current;
        if (painter is null || painter.Width != width || painter.Height != height)
        {
            painter?.Dispose();
            painter = s_current = new ShapePainter(width, height);
        }

        return painter.PaintShapes(random);
    }

    public void Dispose()
    {
        _surface.Dispose();
        _paint.Dispose();
        _triangle.Dispose();
    }

    private ReadOnlySpan<byte> PaintShapes(Random random)
    {
        Array.Clear(_layers);
        var canvas = _surface.Canvas;
        var shapes = 10 + random.Next(8);
        for (var i = 0; i < shapes; i++)
        {
            _paint.Color = new SKColor(0, 0, 0, (byte)(1 + random.Next(PuzzlePalette.Layers - 1)));
            var cx = (float)(random.NextDouble() * Width);
            var cy = (float)(random.NextDouble() * Height);
            var r = (float)(Height * (0.08 + (random.NextDouble() * 0.3)));
            switch (random.Next(4))
            {
                case 0:
                    canvas.DrawCircle(cx, cy, r, _paint);
                    break;
                case 1:
                    canvas.Save();
                    canvas.RotateDegrees((float)(random.NextDouble() * 90), cx, cy);
                    canvas.DrawRect(cx - r, cy - (r / 2), 2 * r, r, _paint);
                    canvas.Restore();
                    break;
                case 2:
                    _triangle.Rewind();
                    _triangle.MoveTo(cx, cy - r);
                    _triangle.LineTo(cx + r, cy + r);
                    _triangle.LineTo(cx - r, cy + (r * 0.7f));
                    _triangle.Close();
                    canvas.DrawPath(_triangle, _paint);
                    break;
                default:
                    _paint.StrokeWidth = 2 + random.Next(6);
                    canvas.DrawLine(cx - r, cy - r, cx + r + random.Next(Width / 3), cy + r - random.Next(Height / 2), _paint);
                    _paint.StrokeWidth = 0;
                    break;
            }
        }

        canvas.Flush();
        return _layers;
    }
}
