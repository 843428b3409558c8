using System.Buffers;
using RedisRing.Captcha.Settings;
using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Renders one challenge: paints a background, cuts the piece out of it, then marks the notch
/// (and decoy notches) on the background. The clean background never leaves this method.
/// </summary>
internal static class PuzzleRenderer
{
    private const int Quality = 80;

    public static RenderedPuzzle Render(PuzzleSpec spec, Random random)
    {
        var size = PuzzleShape.SizeFor(spec.Height);
        var info = new SKImageInfo(spec.Width, spec.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        BackgroundPainter.Paint(canvas, spec.Width, spec.Height, spec.Theme, random);

        using var clean = surface.Snapshot();
        var piece = CutPiece(clean, spec, size);

        using var notch = PuzzleShape.Create(spec.PieceX, spec.PieceY, size);
        DrawNotch(canvas, notch, 120);
        for (var i = 0; i < spec.Decoys; i++)
        {
            DrawDecoy(canvas, spec, size, random);
        }

        using var marked = surface.Snapshot();
        var background = Encode(marked, spec.Format, opaque: true);
        return new RenderedPuzzle(background, piece, spec.Format == ImageFormat.Webp ? "image/webp" : "image/png", size);
    }

    private static byte[] CutPiece(SKImage clean, PuzzleSpec spec, int size)
    {
        using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        using var outline = PuzzleShape.Create(0, 0, size);
        canvas.Save();
        canvas.ClipPath(outline, antialias: true);
        canvas.DrawImage(clean, -spec.PieceX, -spec.PieceY);
        canvas.Restore();
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2, Color = SKColors.White.WithAlpha(220) };
        canvas.DrawPath(outline, stroke);
        using var image = surface.Snapshot();
        return Encode(image, spec.Format, opaque: false);
    }

    private static void DrawNotch(SKCanvas canvas, SKPath path, byte darkness)
    {
        using var fill = new SKPaint { IsAntialias = true, Color = SKColors.Black.WithAlpha(darkness) };
        canvas.DrawPath(path, fill);
        // An inner shadow along the top-left edges makes the notch read as a hole.
        using var shadow = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 3, Color = SKColors.Black.WithAlpha(90) };
        canvas.Save();
        canvas.ClipPath(path, antialias: true);
        canvas.Translate(1.5f, 1.5f);
        canvas.DrawPath(path, shadow);
        canvas.Restore();
        using var edge = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, Color = SKColors.White.WithAlpha(170) };
        canvas.DrawPath(path, edge);
    }

    private static void DrawDecoy(SKCanvas canvas, PuzzleSpec spec, int size, Random random)
    {
        // Decoys avoid the real notch's columns so they never hide it, and are rotated so a
        // human can tell them from the piece's shape while a naive dark-blob detector cannot.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var x = random.Next(size, spec.Width - size);
            if (Math.Abs(x - spec.PieceX) < size * 1.2)
            {
                continue;
            }

            var y = random.Next(2, spec.Height - size - 2);
            using var path = PuzzleShape.Create(x, y, size);
            var rotation = SKMatrix.CreateRotationDegrees(90 * (1 + random.Next(3)), x + (size / 2f), y + (size / 2f));
            path.Transform(rotation);
            DrawNotch(canvas, path, (byte)(90 + random.Next(40)));
            return;
        }
    }

    private static byte[] Encode(SKImage image, ImageFormat format, bool opaque)
    {
        if (format == ImageFormat.Webp)
        {
            using var data = image.Encode(SKEncodedImageFormat.Webp, Quality);
            return data.ToArray();
        }

        // PNG stores straight (non-premultiplied) alpha; Skia converts while reading the pixels.
        // The background is opaque, where premultiplied and straight are the same bytes.
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, opaque ? SKAlphaType.Premul : SKAlphaType.Unpremul);
        var pixels = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            unsafe
            {
                fixed (byte* address = pixels)
                {
                    if (!image.ReadPixels(info, (IntPtr)address, info.RowBytes, 0, 0))
                    {
                        throw new InvalidOperationException("Skia could not read the rendered pixels.");
                    }
                }
            }

            return PngWriter.Encode(pixels.AsSpan(0, info.BytesSize), info.Width, info.Height, info.RowBytes, keepAlpha: !opaque);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }
}
