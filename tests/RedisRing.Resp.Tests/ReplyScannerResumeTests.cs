using FsCheck;
using FsCheck.Xunit;

namespace RedisRing.Resp.Tests;

/// <summary>
/// A reply scanned as it arrives, resuming each time, is found exactly where a scan of the same
/// bytes in one piece finds it, however the bytes are cut and laid out.
/// </summary>
[Properties(Arbitrary = [typeof(RespGenerators)], MaxTest = 300)]
public sealed class ReplyScannerResumeTests
{
    [Property]
    public bool Replies_arriving_in_any_pieces_are_found_as_in_one_piece(ReplyStream stream, int[] cuts, BufferLayout layout, int[] segmentSizes)
    {
        var bytes = stream.Bytes;
        var loop = new ReplyReadLoop();
        foreach (var buffer in Deliveries.Of(bytes, cuts, layout, segmentSizes))
        {
            loop.Receive(buffer);
            if (!loop.Found.SequenceEqual(ReplyReadLoop.OneShot(bytes.AsSpan(0, (int)buffer.Length))))
            {
                return false;
            }
        }

        return loop.Found.SequenceEqual(stream.Replies.Select(r => $"reply of {r.Length} bytes"));
    }

    [Property]
    public bool Damaged_replies_arriving_in_any_pieces_scan_as_in_one_piece(ReplyStream stream, NonNegativeInt damageAt, byte damage, int[] cuts, BufferLayout layout, int[] segmentSizes)
    {
        var bytes = stream.Bytes;
        bytes[damageAt.Get % bytes.Length] = damage;
        var loop = new ReplyReadLoop();
        foreach (var buffer in Deliveries.Of(bytes, cuts, layout, segmentSizes))
        {
            loop.Receive(buffer);
            if (!loop.Found.SequenceEqual(ReplyReadLoop.OneShot(bytes.AsSpan(0, (int)buffer.Length))))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Every_byte_arriving_alone_still_finds_each_reply(ReplyStream stream, BufferLayout layout)
    {
        var bytes = stream.Bytes;
        var loop = new ReplyReadLoop();
        foreach (var buffer in Deliveries.Of(bytes, [.. Enumerable.Range(1, bytes.Length)], layout, [1, 2, 3]))
        {
            loop.Receive(buffer);
        }

        return loop.Found.SequenceEqual(stream.Replies.Select(r => $"reply of {r.Length} bytes"));
    }
}
