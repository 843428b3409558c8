using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The colour table of one challenge. Images are painted in palette indices rather than RGB so
/// that a 320x160 background is 51 KB of one-byte pixels that need no colour conversion, no
/// filtering and (at the default level) no compression search: painting and encoding together
/// cost a fraction of a millisecond, where Skia's RGB painting plus a PNG or WebP encoder cost
/// one to seven (docs/benchmarks-captcha.md).
/// </summary>
/// <remarks>
/// Layout: entry 0 is transparent (used only by the piece), 1 the notch's light edge, 2 its
/// inner shadow; then <see cref="Layers"/> gradient ramps of <see cref="Steps"/> entries each,
/// the plain background followed by one ramp per translucent shape tint (the tint blended over
/// the ramp once, here, instead of per pixel); then the same ramps darkened, for the notch and
/// decoys. Darkening a pixel is adding <see cref="DarkOffset"/> to its index.
/// </remarks>
internal sealed class PuzzlePalette
{
    /// <summary>Gradient steps per ramp; ordered dithering hides the banding between them.</summary>
    public const int Steps = 31;

    /// <summary>The plain gradient plus three shape tints.</summary>
    public const int Layers = 4;

    public const byte Transparent = 0;
    public const byte Edge = 1;
    public const byte Shadow = 2;
    public const byte FirstLit = 3;
    public const int DarkOffset = Layers * Steps;
    public const int Count = FirstLit + (2 * DarkOffset);

    /// <summary>How much of a pixel's light the notch and decoys take away (like black at alpha 120).</summary>
    private const float NotchDarkness = 120 / 255f;

    private PuzzlePalette(byte[] rgb) => Rgb = rgb;

    /// <summary>Three bytes (red, green, blue) per entry, <see cref="Count"/> entries.</summary>
    public byte[] Rgb { get; }

    public static byte Lit(int layer, int step) => (byte)(FirstLit + (layer * Steps) + step);

    public static bool IsLit(byte index) => index is >= FirstLit and < FirstLit + DarkOffset;

    /// <summary>A random two-colour gradient and three random tints in the theme's lightness range.</summary>
    public static PuzzlePalette Create(string theme, Random random)
    {
        var dark = theme == "dark";
        var hue = (float)(random.NextDouble() * 360);
        var from = SKColor.FromHsl(hue, 55, dark ? 22 : 70);
        var to = SKColor.FromHsl((hue + 60 + (float)(random.NextDouble() * 120)) % 360, 60, dark ? 35 : 50);

        var rgb = new byte[Count * 3];
        Set(rgb, Edge, new SKColor(236, 236, 236));
        Set(rgb, Shadow, new SKColor(22, 22, 22));
        for (var layer = 0; layer < Layers; layer++)
        {
            var tint = SKColor.FromHsl((float)(random.NextDouble() * 360), 50 + random.Next(40), dark ? 25 + random.Next(30) : 40 + random.Next(40));
            var alpha = layer == 0 ? 0f : (120 + random.Next(120)) / 255f;
            for (var step = 0; step < Steps; step++)
            {
                var t = step / (float)(Steps - 1);
                var ramp = (R: Mix(from.Red, to.Red, t), G: Mix(from.Green, to.Green, t), B: Mix(from.Blue, to.Blue, t));
                var lit = (R: Mix(ramp.R, tint.Red, alpha), G: Mix(ramp.G, tint.Green, alpha), B: Mix(ramp.B, tint.Blue, alpha));
                var index = Lit(layer, step);
                Set(rgb, index, new SKColor(Round(lit.R), Round(lit.G), Round(lit.B)));
                var keep = 1 - NotchDarkness;
                Set(rgb, index + DarkOffset, new SKColor(Round(lit.R * keep), Round(lit.G * keep), Round(lit.B * keep)));
            }
        }

        return new PuzzlePalette(rgb);
    }

    private static float Mix(float a, float b, float t) => a + ((b - a) * t);

    private static byte Round(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    private static void Set(byte[] rgb, int index, SKColor colour)
    {
        rgb[index * 3] = colour.Red;
        rgb[(index * 3) + 1] = colour.Green;
        rgb[(index * 3) + 2] = colour.Blue;
    }
}
