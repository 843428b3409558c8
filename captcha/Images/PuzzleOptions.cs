namespace RedisRing.Captcha.Images;

/// <summary>The "Images" configuration section.</summary>
internal sealed class PuzzleOptions
{
    /// <summary>Stored, not compressed: see <see cref="PngCompressionLevel"/>.</summary>
    public const int DefaultPngCompressionLevel = 0;

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

    /// <summary>
    /// zlib level (0-9) of PNG challenges. 0 stores the pixels uncompressed, which makes encoding
    /// nearly free at about 50 KB a 320x160 challenge; 1 gives about 20 KB for some 0.2 ms more
    /// per challenge (docs/benchmarks-captcha.md). Sites that want small images can use WebP.
    /// </summary>
    public int PngCompressionLevel { get; set; } = DefaultPngCompressionLevel;
}
