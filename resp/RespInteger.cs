using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// The decimal integers of RESP headers and integer replies. Requests and replies share this one
/// parser so that both sides accept exactly what Redis's string2ll accepts, and neither reaches
/// into the other's code for it.
/// </summary>
internal static class RespInteger
{
    /// <summary>Longest valid text: "-9223372036854775808".</summary>
    private const int MaxLength = 20;

    /// <summary>Parses a strict decimal integer (optional '-', no '+', no spaces, no leading zeros).</summary>
    public static bool TryParse(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        var negative = digits[0] == (byte)'-';
        if (negative)
        {
            digits = digits[1..];
            if (digits.IsEmpty)
            {
                return false;
            }
        }

        if (digits.Length > 1 && digits[0] == (byte)'0')
        {
            return false;
        }

        ulong result = 0;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
            if (result > (negative ? 9223372036854775808UL : long.MaxValue))
            {
                return false;
            }
        }

        value = negative ? (long)(0 - result) : (long)result;
        return true;
    }

    /// <summary>The same, for a header line that may straddle buffer segments.</summary>
    public static bool TryParse(in ReadOnlySequence<byte> digits, out long value)
    {
        if (digits.IsSingleSegment)
        {
            return TryParse(digits.FirstSpan, out value);
        }

        Span<byte> copy = stackalloc byte[MaxLength];
        if (digits.Length > copy.Length)
        {
            value = 0;
            return false;
        }

        digits.CopyTo(copy);
        return TryParse(copy[..(int)digits.Length], out value);
    }
}
