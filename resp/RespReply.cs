using System.Buffers;
using System.Text;

namespace RedisRing.Resp;

/// <summary>
/// Decodes the few reply shapes a caller must look inside (errors, integers, simple and bulk
/// strings, arrays of them) from a contiguous copy of one whole reply, as found by
/// <see cref="ReplyScanner"/>. Everything else is forwarded without decoding. Malformed input is
/// a false or null result, never an exception: these replies come from servers, not from code.
/// </summary>
public static class RespReply
{
    public static bool IsError(ReadOnlySpan<byte> reply) => !reply.IsEmpty && reply[0] == (byte)'-';

    /// <summary>The value of an integer reply (":123\r\n"); false for any other reply.</summary>
    public static bool TryGetInteger(ReadOnlySpan<byte> reply, out long value)
    {
        value = 0;
        return reply.Length > 3 && reply[0] == (byte)':' && reply.EndsWith("\r\n"u8) && RespInteger.TryParse(reply[1..^2], out value);
    }

    /// <summary>
    /// Splits an array reply into its elements' raw bytes (each element a whole RESP value).
    /// Returns false when the reply is not an array (for example an error or a null array) or is
    /// cut short.
    /// </summary>
    public static bool TrySplitArray(ReadOnlyMemory<byte> reply, List<ReadOnlyMemory<byte>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        elements.Clear();
        if (!TryReadLine(reply.Span, out var type, out var line, out var consumed) || type != (byte)'*' || !RespInteger.TryParse(line, out var count) || count < 0)
        {
            return false;
        }

        var rest = reply[consumed..];
        for (var i = 0; i < count; i++)
        {
            if (ReplyScanner.TryScan(new ReadOnlySequence<byte>(rest), out var length) != RespStatus.Complete)
            {
                return false;
            }

            elements.Add(rest[..(int)length]);
            rest = rest[(int)length..];
        }

        return true;
    }

    /// <summary>The content of a bulk or simple string reply; null for a null bulk or another type.</summary>
    public static ReadOnlyMemory<byte>? GetString(ReadOnlyMemory<byte> reply)
    {
        if (!TryReadLine(reply.Span, out var type, out var line, out var consumed))
        {
            return null;
        }

        if (type == (byte)'+')
        {
            return reply[1..(consumed - 2)];
        }

        // The bound check keeps a bulk that claims more bytes than the reply holds from throwing.
        if (type == (byte)'$' && RespInteger.TryParse(line, out var length) && length >= 0 && length <= reply.Length - consumed)
        {
            return reply.Slice(consumed, (int)length);
        }

        return null;
    }

    /// <summary>The content of a bulk or simple string reply as UTF-8 text; empty for anything else.</summary>
    public static string GetText(ReadOnlyMemory<byte> reply) => GetString(reply) is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : string.Empty;

    /// <summary>The message of an error reply without the leading '-' and trailing CRLF.</summary>
    public static string GetErrorMessage(ReadOnlySpan<byte> reply) => reply.Length > 3 ? Encoding.UTF8.GetString(reply[1..^2]) : "ERR";

    /// <summary>Returns the header line's content (after the type byte) and how many bytes the line took.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> data, out byte type, out ReadOnlySpan<byte> line, out int consumed)
    {
        type = 0;
        line = default;
        consumed = 0;
        var end = data.IndexOf("\r\n"u8);
        if (end <= 0)
        {
            return false;
        }

        type = data[0];
        line = data[1..end];
        consumed = end + 2;
        return true;
    }
}
