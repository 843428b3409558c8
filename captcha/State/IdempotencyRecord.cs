namespace RedisRing.Captcha.State;

/// <summary>
/// The value kept under a siteverify idempotency key: the SHA-256 of the token the key was first
/// used with, then a marker byte, then (once the call has finished) its answer. Binding the key to
/// the token means a retry with the same key and another token is refused instead of being handed
/// the first token's answer.
/// </summary>
internal static class IdempotencyRecord
{
    public const int TokenHashBytes = 32;

    private const byte PendingMarker = 0;
    private const byte AnswerMarker = 1;

    public static byte[] Pending(ReadOnlySpan<byte> tokenHash) => [.. tokenHash, PendingMarker];

    public static byte[] Answered(ReadOnlySpan<byte> tokenHash, ReadOnlySpan<byte> answer) => [.. tokenHash, AnswerMarker, .. answer];

    /// <summary>Splits a stored value; <paramref name="answer"/> is null while the first call is still running.</summary>
    public static bool TryDecode(byte[] value, out ReadOnlySpan<byte> tokenHash, out byte[]? answer)
    {
        tokenHash = default;
        answer = null;
        if (value.Length <= TokenHashBytes || value[TokenHashBytes] is not (PendingMarker or AnswerMarker))
        {
            return false;
        }

        tokenHash = value.AsSpan(0, TokenHashBytes);
        answer = value[TokenHashBytes] == AnswerMarker ? value[(TokenHashBytes + 1)..] : null;
        return true;
    }
}
