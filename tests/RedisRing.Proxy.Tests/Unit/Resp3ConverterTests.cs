using System.Buffers;
using System.Text;
using RedisRing.Proxy.Resp3;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>RESP2 replies rewritten into RESP3 by shape; a reply the shape does not fit still goes out whole.</summary>
public sealed class Resp3ConverterTests
{
    private static string Convert(string reply, ReplyShape shape)
    {
        var output = new ArrayBufferWriter<byte>();
        Resp3Converter.Write(output, Encoding.UTF8.GetBytes(reply), shape);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("*3\r\n$1\r\na\r\n$-1\r\n*-1\r\n", "Plain", "*3\r\n$1\r\na\r\n_\r\n_\r\n")]
    [InlineData("*2\r\n*1\r\n$-1\r\n:5\r\n", "Plain", "*2\r\n*1\r\n_\r\n:5\r\n")]
    [InlineData("$-1\r\n", "Map", "_\r\n")]
    [InlineData("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$-1\r\n", "Map", "%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n_\r\n")]
    [InlineData("*2\r\n$1\r\na\r\n$1\r\nb\r\n", "Set", "~2\r\n$1\r\na\r\n$1\r\nb\r\n")]
    [InlineData("$3\r\n1.5\r\n", "Double", ",1.5\r\n")]
    [InlineData("$4\r\n-inf\r\n", "Double", ",-inf\r\n")]
    [InlineData("*4\r\n$1\r\nm\r\n$1\r\n1\r\n$1\r\nn\r\n$1\r\n2\r\n", "ScorePairs", "*2\r\n*2\r\n$1\r\nm\r\n,1\r\n*2\r\n$1\r\nn\r\n,2\r\n")]
    [InlineData("*2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$1\r\nc\r\n$1\r\nd\r\n", "ArrayOfMaps", "*2\r\n%1\r\n$1\r\na\r\n$1\r\nb\r\n%1\r\n$1\r\nc\r\n$1\r\nd\r\n")]
    [InlineData("$5\r\na\r\nbc\r\n", "Verbatim", "=9\r\ntxt:a\r\nbc\r\n")]
    [InlineData("-ERR wrong\r\n", "Map", "-ERR wrong\r\n")]
    public void A_reply_takes_the_RESP3_form_of_its_shape(string reply, string shape, string expected) =>
        Assert.Equal(expected, Convert(reply, Enum.Parse<ReplyShape>(shape)));

    [Fact]
    public void A_reply_the_shape_does_not_fit_goes_out_with_its_nulls_converted_and_nothing_lost()
    {
        Assert.Equal("*3\r\n$1\r\na\r\n_\r\n$1\r\nc\r\n", Convert("*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n", ReplyShape.Map));
        Assert.Equal(":1\r\n", Convert(":1\r\n", ReplyShape.Set));
        Assert.Equal("*1\r\n:1\r\n", Convert("*1\r\n:1\r\n", ReplyShape.PairsToMap));
    }

    [Fact]
    public void A_malformed_reply_is_sent_unchanged_rather_than_failing_the_session()
    {
        Assert.Equal("*2\r\n$9\r\nab\r\n", Convert("*2\r\n$9\r\nab\r\n", ReplyShape.Plain));
        Assert.Equal("*x\r\n", Convert("*x\r\n", ReplyShape.Set));
    }
}
