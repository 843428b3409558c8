using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Images;

/// <summary>Everything about a challenge image except its secret position: sites that share a look share a pool.</summary>
internal readonly record struct PuzzleLook(int Width, int Height, string Theme, int Decoys, ImageFormat Format)
{
    public static PuzzleLook Of(SiteSettings site) => new(site.ImageWidth, site.ImageHeight, site.Theme, site.Decoys, site.ImageFormat);
}
