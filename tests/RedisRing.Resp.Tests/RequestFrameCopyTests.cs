using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace RedisRing.Resp.Tests;

/// <summary>
/// A request split across segments is copied into one array from <see cref="ByteArrayPool"/>,
/// handed to whoever detaches it: small ones from the shared pool, large ones from its bounded
/// cache that a trim empties.
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
    public void A_request_over_a_mebibyte_split_across_segments_is_copied_into_a_large_pooled_array_never_from_the_shared_pool()
    {
        var request = Command(3_000_000);
        var frame = new RequestFrame();
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(Segment.Split(request, 16_384, 1_000_000), frame, RespLimits.Default, out _));

        Assert.True(frame.Raw.Span.SequenceEqual(request));
        var copy = frame.DetachRentedBuffer();
        Assert.NotNull(copy);
        // A power-of-two array of ByteArrayPool's large cache (4 MiB here), which Trim empties;
        // ArrayPool<byte>.Shared would keep it for good.
        Assert.Equal(4 * 1024 * 1024, copy.Length);
        var pool = new ByteArrayPool(maxRetainedBytes: 8 * 1024 * 1024);
        pool.Return(copy);
        Assert.Equal(copy.Length, pool.RetainedBytes);
        Assert.Same(copy, pool.Rent(3_500_000));
        pool.Return(copy);
        Assert.Equal(copy.Length, pool.Trim());
        Assert.Equal(0, pool.RetainedBytes);
        Assert.NotSame(copy, pool.Rent(3_500_000));
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
