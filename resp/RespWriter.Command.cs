using System.Buffers;

namespace RedisRing.Resp;

public static partial class RespWriter
{
    /// <summary>Writes a command (an array of bulk strings) whose arguments are text, encoded as UTF-8.</summary>
    public static void WriteCommand(IBufferWriter<byte> writer, ReadOnlySpan<string> arguments)
    {
        WriteArrayHeader(writer, arguments.Length);
        foreach (var argument in arguments)
        {
            WriteBulk(writer, argument);
        }
    }

    /// <summary>Writes a command (an array of bulk strings) whose arguments are already bytes.</summary>
    public static void WriteCommand(IBufferWriter<byte> writer, ReadOnlySpan<byte[]> arguments)
    {
        WriteArrayHeader(writer, arguments.Length);
        foreach (var argument in arguments)
        {
            WriteBulk(writer, argument);
        }
    }

    /// <summary>
    /// A whole command as a new array, for the cold paths that keep or resend a command (connection
    /// set-up, recovery, health probes). Hot paths write into their own pooled buffer instead.
    /// </summary>
    public static byte[] Command(params ReadOnlySpan<string> arguments)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        WriteCommand(writer, arguments);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A whole command whose arguments are already bytes (keys, payloads), as a new array.</summary>
    public static byte[] CommandBytes(params ReadOnlySpan<byte[]> arguments)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        WriteCommand(writer, arguments);
        return writer.WrittenSpan.ToArray();
    }
}
