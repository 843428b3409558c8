using System.Security.Cryptography;
using System.Text;

namespace RedisRing.Captcha.Tokens;

/// <summary>
/// HMAC-SHA256 of a token, with each key's keyed state kept per thread: an
/// <see cref="IncrementalHash"/> resets to the state after the key's pads, so a MAC costs the
/// payload's blocks and not, as the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>
/// does, a fresh OpenSSL context, the algorithm's look-up and the two key blocks each time. The
/// signed bytes (label, site key, payload) are fed in pieces, never concatenated.
/// </summary>
internal static class TokenMac
{
    // A process has one or two keys (current, previous); tests make many. Past this many a
    // thread's cache starts over, so it stays small whatever makes keys.
    private const int MaxKeysPerThread = 4;

    [ThreadStatic]
    private static Dictionary<byte[], IncrementalHash>? t_keyed;

    /// <summary>Writes the MAC of <c>label, siteKey, "\n", payload</c> under <paramref name="secret"/> into <paramref name="mac"/> (32 bytes).</summary>
    public static void Compute(byte[] secret, string siteKey, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        var hmac = Keyed(secret);
        hmac.AppendData(TokenFormat.SignedLabel);
        // Site keys are [A-Za-z0-9_-], at most 64 characters (checked before any token is read).
        Span<byte> site = stackalloc byte[siteKey.Length + 1];
        var written = Encoding.ASCII.GetBytes(siteKey, site);
        site[written] = (byte)'\n';
        hmac.AppendData(site[..(written + 1)]);
        hmac.AppendData(payload);
        hmac.GetHashAndReset(mac);
    }

    private static IncrementalHash Keyed(byte[] secret)
    {
        var keyed = t_keyed ??= new Dictionary<byte[], IncrementalHash>(ReferenceEqualityComparer.Instance);
        if (keyed.TryGetValue(secret, out var hmac))
        {
            return hmac;
        }

        if (keyed.Count >= MaxKeysPerThread)
        {
            foreach (var old in keyed.Values)
            {
                old.Dispose();
            }

            keyed.Clear();
        }

        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        keyed.Add(secret, hmac);
        return hmac;
    }
}
