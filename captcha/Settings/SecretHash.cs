using System.Security.Cryptography;
using System.Text;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Site secrets are long random strings, so one SHA-256 (not a slow password hash) is enough to
/// keep them out of the settings store; the comparison runs in constant time.
/// </summary>
internal static class SecretHash
{
    public static byte[] Compute(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] expectedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(secret.Length);
        var bytes = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(secret, bytes);
        SHA256.HashData(bytes[..written], hash);
        return CryptographicOperations.FixedTimeEquals(hash, expectedHash);
    }
}
