using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace RedisRing.Captcha.Verification;

/// <summary>
/// A Hashcash-style proof of work bound to one challenge: find a nonce such that
/// SHA-256(salt + nonce in decimal) starts with at least <c>bits</c> zero bits (2^bits hashes
/// expected). The salt is derived from the signed challenge id, so nothing extra is stored, the
/// server needs no state to check it, and a solution found for one challenge is worthless for any
/// other. Checking costs two hashes (the salt, then the solution); solving costs the client
/// 2^bits on average. docs/captcha.md says what that costs a person and a bot.
/// </summary>
internal static class ProofOfWork
{
    /// <summary>Highest difficulty a site may ask for (2^30 hashes is minutes in a browser).</summary>
    public const int MaxBits = 30;

    /// <summary>Nonces are JSON numbers; above 2^53 JavaScript could not send them exactly.</summary>
    public const long MaxNonce = (1L << 53) - 1;

    private const int SaltBytes = 16;

    /// <summary>
    /// The salt the client hashes with: the first 16 bytes of SHA-256 of the signed challenge id,
    /// in lowercase hex. 32 characters plus at most 16 digits of nonce keep every attempt inside
    /// one SHA-256 block, so a browser's attempt costs what a bot's does, block for block.
    /// </summary>
    public static string SaltOf(string challengeId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // A signed challenge id is ASCII and at most TokenFormat.MaxLength characters (longer
        // ones are refused before this); the fallback only keeps odd input from overflowing.
        var size = Encoding.UTF8.GetMaxByteCount(challengeId.Length);
        Span<byte> text = size <= 4096 ? stackalloc byte[size] : new byte[size];
        SHA256.HashData(text[..Encoding.UTF8.GetBytes(challengeId, text)], hash);
        return Convert.ToHexStringLower(hash[..SaltBytes]);
    }

    /// <summary>Whether <paramref name="nonce"/> solves the puzzle of <paramref name="salt"/> at <paramref name="bits"/>: one hash.</summary>
    public static bool IsSolution(string salt, long nonce, int bits)
    {
        if (nonce is < 0 or > MaxNonce || salt.Length != SaltBytes * 2)
        {
            return false;
        }

        Span<byte> input = stackalloc byte[(SaltBytes * 2) + 20];
        var length = Encoding.ASCII.GetBytes(salt, input);
        Utf8Formatter.TryFormat(nonce, input[length..], out var digits);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..(length + digits)], hash);
        return LeadingZeroBits(hash) >= bits;
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }

    /// <summary>The smallest nonce that solves the puzzle: what the widget does, for tests and measurements.</summary>
    public static long Solve(string salt, int bits)
    {
        for (long nonce = 0; ; nonce++)
        {
            if (IsSolution(salt, nonce, bits))
            {
                return nonce;
            }
        }
    }
}
