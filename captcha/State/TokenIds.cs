using System.Buffers.Text;
using System.Security.Cryptography;

namespace RedisRing.Captcha.State;

/// <summary>
/// Pass-token ids: 32 base64url characters (the 24-byte shape siteverify expects). The first
/// <see cref="RedisKeys.TagLength"/> repeat the challenge id's hash tag, which the solver already
/// knows; the other 24 are 144 fresh random bits, the unguessable part.
/// </summary>
internal static class TokenIds
{
    public const int RandomBytes = 18;

    public static string ForChallenge(string challengeId) =>
        challengeId[..RedisKeys.TagLength] + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
}
