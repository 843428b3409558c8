using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The jigsaw outline shared by the piece and its notch: a square body with a round tab on the
/// top and on the right, inside a square bounding box of <see cref="SizeFor"/> pixels.
/// </summary>
internal static class PuzzleShape
{
    /// <summary>Bounding-box side for an image of the given height (about 30% of it).</summary>
    public static int SizeFor(int imageHeight) => Math.Max(36, imageHeight * 3 / 10);

    /// <summary>The outline with its bounding box's top-left corner at (left, top).</summary>
    public static SKPath Create(float left, float top, int size)
    {
        var tab = size * 0.14f;
        var body = size - (2 * tab);
        var x0 = left + tab;
        var y0 = top + tab;
        var path = new SKPath();
        path.MoveTo(x0, y0);
        path.LineTo(x0 + (body / 2) - tab, y0);
        path.ArcTo(SKRect.Create(x0 + (body / 2) - tab, y0 - tab, 2 * tab, 2 * tab), 180, 180, false);
        path.LineTo(x0 + body, y0);
        path.LineTo(x0 + body, y0 + (body / 2) - tab);
        path.ArcTo(SKRect.Create(x0 + body - tab, y0 + (body / 2) - tab, 2 * tab, 2 * tab), 270, 180, false);
        path.LineTo(x0 + body, y0 + body);
        path.LineTo(x0, y0 + body);
        path.Close();
        return path;
    }
}
