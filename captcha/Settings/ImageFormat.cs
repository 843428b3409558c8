namespace RedisRing.Captcha.Settings;

/// <summary>Encoding of the challenge images sent to the widget.</summary>
internal enum ImageFormat
{
    /// <summary>Lossy WebP background and piece (the smallest, the slowest to encode).</summary>
    Webp,

    /// <summary>True-colour PNG background and piece (lossless, so several times the bytes).</summary>
    Png,

    /// <summary>JPEG background, PNG piece (it needs alpha): the default, small and fast.</summary>
    Jpeg,
}
