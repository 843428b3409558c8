using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Paints a procedural background in palette indices (<see cref="PuzzlePalette"/>): a dithered
/// two-colour gradient, random translucent shapes and speckle noise, so that every challenge
/// looks different and no stock image library can be matched against. The randomness here is
/// not secret (only the notch position is), so a fast PRNG is used.
/// </summary>
internal static class BackgroundPainter
{
    /// <summary>4x4 ordered-dither thresholds in sixteenths of a gradient step.</summary>
    private static ReadOnlySpan<byte> Bayer => [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    public static void Paint(Span<byte> pixels, int width, int height, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels.Length, width * height);
        PaintGradient(pixels, width, height, random);
        PaintShapes(pixels, width, height, random);
        PaintNoise(pixels, width * height, random);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PaintGradient(Span<byte> pixels, int width, int height, Random random)
    {
        // Along the line from (0, y0) to (width, y1): t = ((x, y - y0) . (dx, dy)) / |d|^2, kept
        // as fixed point in 1/4096 of a step so a row is one addition per pixel.
        var y0 = random.NextDouble() * height;
        var (dx, dy) = (width, (random.NextDouble() * height) - y0);
        var scale = (PuzzlePalette.Steps - 1) * 16 * 256 / ((dx * dx) + (dy * dy));
        var perX = (int)(dx * scale);
        var perY = dy * scale;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * width, width);
            var value = (int)((0.5 * perX) + ((y + 0.5 - y0) * perY));
            var thresholds = Bayer.Slice((y & 3) * 4, 4);
            for (var x = 0; x < row.Length; x++, value += perX)
            {
                var step = ((value >> 8) + thresholds[x & 3]) >> 4;
                row[x] = PuzzlePalette.Lit(0, Math.Clamp(step, 0, PuzzlePalette.Steps - 1));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PaintShapes(Span<byte> pixels, int width, int height, Random random)
    {
        Span<(float X, float Y)> corners = stackalloc (float, float)[4];
        var shapes = 10 + random.Next(8);
        for (var i = 0; i < shapes; i++)
        {
            var tint = PaletteTables.ToLayer[1 + random.Next(PuzzlePalette.Layers - 1)];
            var cx = (float)(random.NextDouble() * width);
            var cy = (float)(random.NextDouble() * height);
            var r = (float)(height * (0.08 + (random.NextDouble() * 0.3)));
            switch (random.Next(4))
            {
                case 0:
                    ConvexFill.Circle(pixels, width, height, cx, cy, r, tint);
                    break;
                case 1:
                    // A 2r x r rectangle turned by up to 90 degrees about its centre.
                    var angle = random.NextDouble() * Math.PI / 2;
                    var (cos, sin) = ((float)Math.Cos(angle), (float)Math.Sin(angle));
                    var (ux, uy, vx, vy) = (r * cos, r * sin, -r / 2 * sin, r / 2 * cos);
                    corners[0] = (cx - ux - vx, cy - uy - vy);
                    corners[1] = (cx + ux - vx, cy + uy - vy);
                    corners[2] = (cx + ux + vx, cy + uy + vy);
                    corners[3] = (cx - ux + vx, cy - uy + vy);
                    ConvexFill.Polygon(pixels, width, height, corners, tint);
                    break;
                case 2:
                    ConvexFill.Polygon(pixels, width, height, [(cx, cy - r), (cx + r, cy + r), (cx - r, cy + (r * 0.7f))], tint);
                    break;
                default:
                    var (toX, toY) = (cx + r + random.Next(width / 3), cy + r - random.Next(height / 2));
                    ConvexFill.Line(pixels, width, height, (cx - r, cy - r), (toX, toY), 2 + random.Next(6), tint);
                    break;
            }
        }
    }

    /// <summary>Speckles defeat edge detection that relies on smooth areas around the notch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PaintNoise(Span<byte> pixels, int count, Random random)
    {
        for (var i = 0; i < count / 30; i++)
        {
            ref var pixel = ref pixels[random.Next(count)];
            pixel = ((i & 1) == 0 ? PaletteTables.NoiseUp : PaletteTables.NoiseDown)[pixel];
        }
    }
}
