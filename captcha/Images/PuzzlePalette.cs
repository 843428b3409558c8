using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The colour table the background is painted with. Painting in palette indices (one byte a
/// pixel, see <see cref="BackgroundPainter"/>) keeps the procedural painting cheap; the indices
/// are expanded to true colour with per-pixel noise before anything is encoded, so no served
/// image is a palette image and no two pixels share an exact colour by construction.
/// </summary>
/// <remarks>
/// Layout: <see cref="Layers"/> gradient ramps of <see cref="Steps"/> entries each, the plain
/// background followed by one ramp per translucent shape tint (the tint blended over the ramp
/// once, here, instead of per pixel).
/// </remarks>
internal sealed class PuzzlePalette
{
    /// <summary>Gradient steps per ramp; ordered dithering and the noise hide the banding between them.</summary>
    public const int Steps = 31;

    /// <summary>The plain gradient plus three shape tints.</summary>
    public const int Layers = 4;

    public const int Count = Layers * Steps;

    private PuzzlePalette(byte[] rgb) => Rgb = rgb;

    /// <summary>Three bytes (red, green, blue) per entry, <see cref="Count"/> entries.</summary>
    public byte[] Rgb { get; }

    public static byte Lit(int layer, int step) => (byte)((layer * Steps) + step);

    /// <summary>A random two-colour gradient and three random tints in the theme's lightness range.</summary>
    public static PuzzlePalette Create(string theme, Random random)
    {
        var dark = theme == "dark";
        var hue = (float)(random.NextDouble() * 360);
        var from = SKColor.FromHsl(hue, 55, dark ? 22 : 70);
        var to = SKColor.FromHsl((hue + 60 + (float)(random.NextDouble() * 120)) % 360, 60, dark ? 35 : 50);

        var rgb = new byte[Count * 3];
        for (var layer = 0; layer < Layers; layer++)
        {
            var tint = SKColor.FromHsl((float)(random.NextDouble() * 360), 50 + random.Next(40), dark ? 25 + random.Next(30) : 40 + random.Next(40));
            var alpha = layer == 0 ? 0f : (120 + random.Next(120)) / 255f;
            for (var step = 0; step < Steps; step++)
            {
                var t = step / (float)(Steps - 1);
                var ramp = (R: Mix(from.Red, to.Red, t), G: Mix(from.Green, to.Green, t), B: Mix(from.Blue, to.Blue, t));
                var index = Lit(layer, step) * 3;
                rgb[index] = Round(Mix(ramp.R, tint.Red, alpha));
                rgb[index + 1] = Round(Mix(ramp.G, tint.Green, alpha));
                rgb[index + 2] = Round(Mix(ramp.B, tint.Blue, alpha));
            }
        }

        return new PuzzlePalette(rgb);
    }

    private static float Mix(float a, float b, float t) => a + ((b - a) * t);

    private static byte Round(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);
}
