using System.Buffers;

namespace RedisRing.Captcha.Api;

/// <summary>The optional action label a site attaches to a challenge (reported back by siteverify).</summary>
internal static class ActionName
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/-");

    public static bool IsValid(string action) => action.Length is > 0 and <= 64 && action.AsSpan().IndexOfAnyExcept(Allowed) < 0;
}
