using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Paints a procedural background in palette indices (<see cref="PuzzlePalette"/>): a dithered
/// two-colour gradient, random translucent shapes (rasterised by Skia into a layer map, see
/// <see cref="ShapePainter"/>, each moving the pixels it covers onto its tint's ramp at the same
/// gradient step), so that every challenge looks different and no stock image
/// library can be matched against. The randomness here is not secret (only the notch position
/// is), so a fast PRNG is used.
/// </summary>
internal static class BackgroundPainter
{
    /// <summary>4x4 ordered-dither thresholds in sixteenths of a gradient step.</summary>
    private static ReadOnlySpan<byte> Bayer => [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    public static void Paint(Span<byte> pixels, int width, int height, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels.Length, width * height);
        PaintGradient(pixels, ShapePainter.Paint(width, height, random), width, height, random);
    }

    /// <summary>The gradient's step at every pixel, on the ramp of the shape layer covering it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PaintGradient(Span<byte> pixels, ReadOnlySpan<byte> layers, int width, int height, Random random)
    {
        // The gradient runs mostly top to bottom (within 8 degrees of vertical): colour that
        // changed along x would tell a bot which column the piece came from by its colour alone.
        // Projected on the unit direction u, scaled so the image spans the whole ramp, and kept
        // as fixed point in 1/4096 of a step so a row is one addition per pixel.
        var angle = (random.NextDouble() - 0.5) * (16 * Math.PI / 180);
        var (ux, uy) = (Math.Sin(angle), Math.Cos(angle) * (random.Next(2) == 0 ? 1 : -1));
        double[] corners = [0, width * ux, height * uy, (width * ux) + (height * uy)];
        var (lowest, highest) = (corners.Min(), corners.Max());
        var scale = (PuzzlePalette.Steps - 1) * 16 * 256 / (highest - lowest);
        var perX = (int)(ux * scale);
        var perY = uy * scale;
        var origin = -lowest * scale;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * width, width);
            var layerRow = layers.Slice(y * width, width);
            var value = (int)(origin + (0.5 * perX) + ((y + 0.5) * perY));
            var thresholds = Bayer.Slice((y & 3) * 4, 4);
            var (t0, t1, t2, t3) = (thresholds[0], thresholds[1], thresholds[2], thresholds[3]);
            // Four pixels a turn: the dither thresholds repeat every four columns.
            var x = 0;
            for (; x + 4 <= row.Length; x += 4, value += 4 * perX)
            {
                row[x] = Pixel(layerRow[x], value, t0);
                row[x + 1] = Pixel(layerRow[x + 1], value + perX, t1);
                row[x + 2] = Pixel(layerRow[x + 2], value + (2 * perX), t2);
                row[x + 3] = Pixel(layerRow[x + 3], value + (3 * perX), t3);
            }

            for (; x < row.Length; x++, value += perX)
            {
                row[x] = Pixel(layerRow[x], value, thresholds[x & 3]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Pixel(byte layer, int value, int threshold) =>
        PuzzlePalette.Lit(layer, Math.Clamp(((value >> 8) + threshold) >> 4, 0, PuzzlePalette.Steps - 1));
}
