using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace RedisRing.Resp;

/// <summary>
/// Writes RESP2 values into a buffer writer (a pipe or a pooled buffer): replies here, commands in
/// RespWriter.Command.cs. The one RESP encoder of the repository.
/// </summary>
public static partial class RespWriter
{
    public static void WriteSimpleString(IBufferWriter<byte> writer, string value) => WriteLine(writer, (byte)'+', value);

    /// <summary>Writes an error reply; <paramref name="message"/> starts with its code, e.g. "ERR ...".</summary>
    public static void WriteError(IBufferWriter<byte> writer, string message) => WriteLine(writer, (byte)'-', message);

    public static void WriteInteger(IBufferWriter<byte> writer, long value)
    {
        var span = writer.GetSpan(24);
        span[0] = (byte)':';
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        writer.Advance(written + 3);
    }

    public static void WriteArrayHeader(IBufferWriter<byte> writer, long count) => WriteHeader(writer, (byte)'*', count);

    public static void WriteNullBulk(IBufferWriter<byte> writer) => writer.Write("$-1\r\n"u8);

    public static void WriteNullArray(IBufferWriter<byte> writer) => writer.Write("*-1\r\n"u8);

    public static void WriteBulk(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        WriteHeader(writer, (byte)'$', value.Length);
        writer.Write(value);
        writer.Write("\r\n"u8);
    }

    public static void WriteBulk(IBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteHeader(writer, (byte)'$', length);
        var span = writer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        writer.Advance(length);
        writer.Write("\r\n"u8);
    }

    public static void WriteHeader(IBufferWriter<byte> writer, byte type, long value)
    {
        var span = writer.GetSpan(24);
        span[0] = type;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        writer.Advance(written + 3);
    }

    private static void WriteLine(IBufferWriter<byte> writer, byte type, string value)
    {
        // Simple strings and errors cannot carry line breaks: replace them so that a message
        // built from user input can never inject a second reply.
        var length = Encoding.UTF8.GetByteCount(value);
        var span = writer.GetSpan(length + 3);
        span[0] = type;
        Encoding.UTF8.GetBytes(value, span[1..]);
        for (var i = 1; i <= length; i++)
        {
            if (span[i] is (byte)'\r' or (byte)'\n')
            {
                span[i] = (byte)' ';
            }
        }

        span[length + 1] = (byte)'\r';
        span[length + 2] = (byte)'\n';
        writer.Advance(length + 3);
    }
}
