using System.Buffers;

namespace RedisRing.Captcha.Api;

/// <summary>
/// A site's own data given with a challenge (<c>data-cdata</c> on the widget), signed into the
/// pass token and echoed by siteverify, so the site's backend can tie the token to, say, the
/// form session it served. Bounded and plain (as Turnstile's): it travels inside every token.
/// </summary>
internal static class Cdata
{
    public const int MaxLength = 255;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public static bool IsValid(string cdata) => cdata.Length is > 0 and <= MaxLength && cdata.AsSpan().IndexOfAnyExcept(Allowed) < 0;
}
