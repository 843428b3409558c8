using System.Buffers.Text;
using System.Security.Cryptography;

namespace RedisRing.Captcha.Api;

/// <summary>Random identifiers: challenge ids (128 bits) and pass-token ids (192 bits), base64url.</summary>
internal static class Ids
{
    public const int ChallengeIdBytes = 16;
    public const int TokenIdBytes = 24;

    public static string New(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Whether a string has the exact shape of an id we issue (checked before touching Redis).</summary>
    public static bool IsWellFormed(string? value, int bytes) =>
        value is not null && value.Length == Base64Url.GetEncodedLength(bytes) && Base64Url.IsValid(value);
}
