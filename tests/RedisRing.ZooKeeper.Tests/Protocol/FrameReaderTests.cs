using System.Buffers;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Tests.Protocol;

public sealed class FrameReaderTests
{
    [Fact]
    public void Incomplete_frame_waits_for_more_data()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 4, 1, 2 });
        Assert.False(FrameReader.TryRead(ref buffer, 100, out _));
        Assert.Equal(6, buffer.Length);
    }

    [Fact]
    public void Whole_frames_are_taken_one_by_one()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 1, 9, 0, 0, 0, 2, 7, 8, 0 });
        Assert.True(FrameReader.TryRead(ref buffer, 100, out var first));
        Assert.Equal([9], first.ToArray());
        Assert.True(FrameReader.TryRead(ref buffer, 100, out var second));
        Assert.Equal([7, 8], second.ToArray());
        Assert.False(FrameReader.TryRead(ref buffer, 100, out _));
        Assert.Equal(1, buffer.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0, 0, 0, 101 })]
    public void Length_outside_the_limit_is_a_protocol_error(byte[] prefix)
    {
        var buffer = new ReadOnlySequence<byte>(prefix);
        Assert.Throws<JuteFormatException>(() => FrameReader.TryRead(ref buffer, 100, out _));
    }
}
