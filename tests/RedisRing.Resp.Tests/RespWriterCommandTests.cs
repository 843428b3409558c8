using System.Buffers;
using System.Text;

namespace RedisRing.Resp.Tests;

public sealed class RespWriterCommandTests
{
    [Fact]
    public void A_text_command_is_an_array_of_bulk_strings() =>
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"u8.ToArray(), RespWriter.Command("SET", "key", "value"));

    [Fact]
    public void Text_arguments_are_counted_and_written_in_UTF8_bytes() =>
        Assert.Equal("*2\r\n$4\r\nAUTH\r\n$5\r\np\u00e4ss\r\n"u8.ToArray(), RespWriter.Command("AUTH", "p\u00e4ss"));

    [Fact]
    public void Empty_arguments_and_an_empty_command_are_written_as_such()
    {
        Assert.Equal("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"u8.ToArray(), RespWriter.Command("ECHO", string.Empty));
        Assert.Equal("*0\r\n"u8.ToArray(), RespWriter.Command());
    }

    [Fact]
    public void Byte_arguments_are_binary_safe()
    {
        byte[] payload = [0, (byte)'\r', (byte)'\n', 0xff];
        Assert.Equal([.. "*3\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$4\r\n"u8, .. payload, .. "\r\n"u8], RespWriter.CommandBytes("RESTORE"u8.ToArray(), "k"u8.ToArray(), payload));
    }

    [Fact]
    public void Text_and_byte_commands_agree() =>
        Assert.Equal(RespWriter.Command("INFO", "server"), RespWriter.CommandBytes("INFO"u8.ToArray(), "server"u8.ToArray()));

    [Fact]
    public void An_argument_larger_than_the_first_buffer_is_written_whole()
    {
        var value = new string('x', 100_000);
        var command = RespWriter.Command("SET", "k", value);
        Assert.Equal("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + value + "\r\n", Encoding.ASCII.GetString(command));
    }

    [Fact]
    public void Pipelined_commands_are_appended_to_one_writer()
    {
        var writer = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(writer, ["PING"]);
        RespWriter.WriteCommand(writer, [.. new[] { "DEL"u8.ToArray(), "k"u8.ToArray() }]);
        Assert.Equal("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n", Encoding.ASCII.GetString(writer.WrittenSpan));
    }
}
