namespace RedisRing.Resp;

public static partial class RequestReader
{
    /// <summary>
    /// The common case: a whole RESP request in one contiguous buffer. Scans it with span
    /// indexing instead of a sequence reader. Returns <see cref="RespStatus.NeedMoreData"/> when the
    /// span ends inside the frame, and the caller then falls back to the sequence path, which also
    /// produces every protocol error; this path only accepts well-formed frames.
    /// </summary>
    private static bool TryReadMultiBulkFast(ReadOnlyMemory<byte> memory, RequestFrame frame, RespLimits limits)
    {
        var span = memory.Span;
        var position = 1;
        if (!TryReadSmallNumber(span, ref position, out var count) || count <= 0 || count > limits.MaxArrayLength || count > 64)
        {
            return false;
        }

        Span<(int Start, int Length)> arguments = stackalloc (int, int)[64];
        for (var i = 0; i < count; i++)
        {
            if (position >= span.Length || span[position] != (byte)'$')
            {
                return false;
            }

            position++;
            if (!TryReadSmallNumber(span, ref position, out var length) || length > limits.MaxBulkLength || (long)position + length + 2 > span.Length)
            {
                return false;
            }

            arguments[i] = (position, (int)length);
            position += (int)length + 2;
        }

        frame.SetSource(memory[..position], isInline: false);
        for (var i = 0; i < count; i++)
        {
            frame.AddArgument(arguments[i].Start, arguments[i].Length);
        }

        frame.ConsumedLength = position;
        frame.BytesExamined += position;
        return true;
    }

    /// <summary>Reads a non-negative decimal of up to 9 digits followed by CRLF.</summary>
    private static bool TryReadSmallNumber(ReadOnlySpan<byte> span, ref int position, out long value)
    {
        value = 0;
        var start = position;
        while (position < span.Length && position - start < 10)
        {
            var b = span[position];
            if (b == (byte)'\r')
            {
                if (position == start || position + 1 >= span.Length || span[position + 1] != (byte)'\n' || (span[start] == (byte)'0' && position - start > 1))
                {
                    return false;
                }

                position += 2;
                return true;
            }

            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
            position++;
        }

        return false;
    }
}
