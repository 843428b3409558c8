namespace RedisRing.Captcha.Images;

/// <summary>The "Images" configuration section.</summary>
internal sealed class PuzzleOptions
{
    /// <summary>Pre-rendered challenges kept ready per look; 0 renders every challenge on request.</summary>
    public int PoolSize { get; set; } = 64;

    /// <summary>
    /// How many challenges one rendered puzzle may be issued to (each gets its own challenge id
    /// with the same secret position). 1, the default, gives every challenge its own image. More
    /// is a security trade-off for throughput, described in docs/captcha.md: whoever learns one
    /// serving's answer (a human solver farm, say) can answer the other servings of that image.
    /// Copies never differ: one background never carries two notch positions, and no un-notched
    /// copy exists.
    /// </summary>
    public int MaxServesPerImage { get; set; } = 1;

    /// <summary>Threads that keep the pools filled. They compete with requests for the cores.</summary>
    public int RenderThreads { get; set; } = 1;
}
