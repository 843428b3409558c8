using System.Buffers;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Tests.Protocol;

public sealed class JuteReaderTests
{
    [Fact]
    public void Values_written_by_the_writer_read_back()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new JuteWriter(buffer);
        writer.WriteInt(-7);
        writer.WriteLong(long.MaxValue);
        writer.WriteBool(true);
        writer.WriteString("héllo");
        writer.WriteString(null);
        writer.WriteBuffer([1, 2, 3]);
        writer.WriteStrings(["a", "b"]);
        writer.WriteAcl([new Acl(Permissions.Read, "world", "anyone")]);

        var reader = new JuteReader(buffer.WrittenSpan);
        Assert.Equal(-7, reader.ReadInt());
        Assert.Equal(long.MaxValue, reader.ReadLong());
        Assert.True(reader.ReadBool());
        Assert.Equal("héllo", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal([1, 2, 3], reader.ReadBuffer());
        Assert.Equal(["a", "b"], reader.ReadStrings());
        Assert.Equal([new Acl(Permissions.Read, "world", "anyone")], reader.ReadAcl());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Length_beyond_the_frame_is_a_format_error()
    {
        byte[] frame = [0, 0, 0, 10, 1, 2];
        Assert.Throws<JuteFormatException>(() => new JuteReader(frame).ReadBuffer());
    }

    [Fact]
    public void Huge_vector_count_is_rejected_before_allocating()
    {
        byte[] frame = [0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0];
        Assert.Throws<JuteFormatException>(() => new JuteReader(frame).ReadStrings());
    }

    [Fact]
    public void Truncated_stat_is_a_format_error()
    {
        var frame = new byte[40];
        Assert.Throws<JuteFormatException>(() => new JuteReader(frame).ReadStat());
    }
}
