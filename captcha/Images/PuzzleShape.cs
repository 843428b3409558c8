namespace RedisRing.Captcha.Images;

/// <summary>
/// The jigsaw outline shared by the piece and its notch: a square body with a round tab on the
/// top and on the right, inside a square bounding box of <see cref="SizeFor"/> pixels.
/// </summary>
internal static class PuzzleShape
{
    private const float TabShare = 0.14f;

    /// <summary>Bounding-box side for an image of the given height (about 30% of it).</summary>
    public static int SizeFor(int imageHeight) => Math.Max(36, imageHeight * 3 / 10);

    /// <summary>Whether the point (x, y), relative to the bounding box's top-left corner, is inside.</summary>
    public static bool Contains(int size, float x, float y)
    {
        var tab = size * TabShare;
        var body = size - (2 * tab);
        var (left, top) = (tab, tab);
        var inBody = x >= left && x <= left + body && y >= top && y <= top + body;
        return inBody || InCircle(x, y, left + (body / 2), top, tab) || InCircle(x, y, left + body, top + (body / 2), tab);
    }

    private static bool InCircle(float x, float y, float cx, float cy, float r) => ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r;
}
