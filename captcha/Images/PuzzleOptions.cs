namespace RedisRing.Captcha.Images;

/// <summary>The "Images" configuration section.</summary>
internal sealed class PuzzleOptions
{
    /// <summary>Pre-rendered challenges kept ready per look; 0 renders every challenge on request.</summary>
    public int PoolSize { get; set; } = 256;
}
