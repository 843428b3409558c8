using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Fills circles and convex polygons in a palette-index image by remapping every pixel whose
/// centre lies inside through a table (<see cref="PaletteTables"/>). One span per row, no
/// anti-aliasing: edges are hard, which keeps every pixel a palette entry.
/// </summary>
internal static class ConvexFill
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Circle(Span<byte> pixels, int width, int height, float cx, float cy, float r, byte[] table)
    {
        var top = Math.Max(0, (int)MathF.Floor(cy - r));
        var bottom = Math.Min(height - 1, (int)MathF.Ceiling(cy + r));
        for (var y = top; y <= bottom; y++)
        {
            var dy = y + 0.5f - cy;
            var squared = (r * r) - (dy * dy);
            if (squared > 0)
            {
                var half = MathF.Sqrt(squared);
                Remap(pixels.Slice(y * width, width), cx - half, cx + half, table);
            }
        }
    }

    /// <summary>A segment <paramref name="thickness"/> pixels wide, as the rectangle around it.</summary>
    public static void Line(Span<byte> pixels, int width, int height, (float X, float Y) from, (float X, float Y) to, float thickness, byte[] table)
    {
        var (dx, dy) = (to.X - from.X, to.Y - from.Y);
        var length = MathF.Sqrt((dx * dx) + (dy * dy));
        if (length < 0.5f)
        {
            return;
        }

        var (nx, ny) = (-dy / length * thickness / 2, dx / length * thickness / 2);
        Polygon(pixels, width, height, [(from.X + nx, from.Y + ny), (to.X + nx, to.Y + ny), (to.X - nx, to.Y - ny), (from.X - nx, from.Y - ny)], table);
    }

    /// <summary>A convex polygon given by its corners in order (either direction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Polygon(Span<byte> pixels, int width, int height, ReadOnlySpan<(float X, float Y)> corners, byte[] table)
    {
        var (minY, maxY) = (float.MaxValue, float.MinValue);
        foreach (var (_, y) in corners)
        {
            (minY, maxY) = (Math.Min(minY, y), Math.Max(maxY, y));
        }

        var top = Math.Max(0, (int)MathF.Floor(minY));
        var bottom = Math.Min(height - 1, (int)MathF.Ceiling(maxY));
        for (var y = top; y <= bottom; y++)
        {
            // A horizontal line crosses a convex outline at most twice: the span between the
            // leftmost and rightmost crossing is inside.
            var centre = y + 0.5f;
            var (left, right) = (float.MaxValue, float.MinValue);
            for (var i = 0; i < corners.Length; i++)
            {
                var (a, b) = (corners[i], corners[(i + 1) % corners.Length]);
                if ((a.Y <= centre && b.Y > centre) || (b.Y <= centre && a.Y > centre))
                {
                    var x = a.X + ((centre - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                    (left, right) = (Math.Min(left, x), Math.Max(right, x));
                }
            }

            if (left <= right)
            {
                Remap(pixels.Slice(y * width, width), left, right, table);
            }
        }
    }

    /// <summary>Remaps the pixels of one row whose centres lie in [left, right].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Remap(Span<byte> row, float left, float right, byte[] table)
    {
        var first = Math.Max(0, (int)MathF.Ceiling(left - 0.5f));
        var last = Math.Min(row.Length - 1, (int)MathF.Floor(right - 0.5f));
        for (var x = first; x <= last; x++)
        {
            row[x] = table[row[x]];
        }
    }
}
