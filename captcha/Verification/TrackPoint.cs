namespace RedisRing.Captcha.Verification;

/// <summary>
/// One sample of the drag: x and y as fractions of the rendered image width (so the track means
/// the same at any screen size) and t in milliseconds since the drag started.
/// </summary>
internal readonly record struct TrackPoint(double X, double Y, double T);
