namespace RedisRing.Captcha.Settings;

/// <summary>Encoding of the challenge images sent to the widget.</summary>
internal enum ImageFormat
{
    Webp,
    Png,
}
