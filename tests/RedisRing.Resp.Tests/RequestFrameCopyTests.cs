using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace RedisRing.Resp.Tests;

/// <summary>
/// A request split across segments is copied into one array. Small copies are rented from the
/// shared pool and handed to whoever detaches them; large ones are allocated, never detached as
/// rented, so nobody returns them to the pool (which would keep them cached for good).
/// </summary>
public sealed class RequestFrameCopyTests
{
    [Fact]
    public void A_small_request_split_across_segments_is_copied_into_a_rented_array_that_can_be_detached()
    {
        var request = Command(100);
        var frame = new RequestFrame();
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(Segment.Split(request, 10, 50), frame, RespLimits.Default, out _));

        var rented = frame.DetachRentedBuffer();

        Assert.NotNull(rented);
        Assert.True(rented.AsSpan(0, request.Length).SequenceEqual(request));
        Assert.True(frame.Raw.Span.SequenceEqual(request));
        Assert.Null(frame.DetachRentedBuffer());
    }

    [Fact]
    public void A_request_over_a_mebibyte_split_across_segments_is_copied_into_an_allocated_array_that_is_not_rented()
    {
        // Not a power of two, so that an array of exactly this length cannot be a pool's bucket.
        var request = Command(3_000_000);
        var frame = new RequestFrame();
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(Segment.Split(request, 16_384, 1_000_000), frame, RespLimits.Default, out _));

        Assert.True(frame.Raw.Span.SequenceEqual(request));
        Assert.True(MemoryMarshal.TryGetArray(frame.Raw, out var copy));
        Assert.Equal(request.Length, copy.Array!.Length);
        Assert.Null(frame.DetachRentedBuffer());

        // The next request neither returns the allocated copy to the pool nor disturbs it.
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(new ReadOnlySequence<byte>("*1\r\n$4\r\nPING\r\n"u8.ToArray()), frame, RespLimits.Default, out _));
        Assert.True(copy.AsSpan().SequenceEqual(request));
    }

    [Fact]
    public void A_request_in_one_segment_is_not_copied()
    {
        var request = Command(3_000_000);
        var frame = new RequestFrame();
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(new ReadOnlySequence<byte>(request), frame, RespLimits.Default, out _));

        Assert.True(MemoryMarshal.TryGetArray(frame.Raw, out var bytes));
        Assert.Same(request, bytes.Array);
        Assert.Null(frame.DetachRentedBuffer());
    }

    private static byte[] Command(int valueLength) =>
        Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n${valueLength}\r\n{new string('v', valueLength)}\r\n");
}
