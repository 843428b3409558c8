using FsCheck;
using FsCheck.Xunit;

namespace RedisRing.Resp.Tests;

/// <summary>
/// A request read as it arrives, resuming each time from the frame's saved progress, reads
/// exactly as the same bytes read in one piece (arguments, raw bytes, errors and limits),
/// however the bytes are cut and laid out.
/// </summary>
[Properties(Arbitrary = [typeof(RespGenerators)], MaxTest = 300)]
public sealed class RequestReaderResumeTests
{
    private static readonly RespLimits s_tightLimits = new() { MaxInlineLength = 40, MaxBulkLength = 50, MaxArrayLength = 6, MaxRequestLength = 200 };

    [Property]
    public bool Requests_arriving_in_any_pieces_read_as_in_one_piece(RequestStream stream, int[] cuts, BufferLayout layout, int[] segmentSizes)
    {
        var bytes = stream.Bytes;
        var loop = new RequestReadLoop(RespLimits.Default);
        if (!ReadsAsInOnePiece(loop, bytes, cuts, layout, segmentSizes, RespLimits.Default))
        {
            return false;
        }

        return loop.Found.Count == stream.Requests.Length && !loop.Found.Any(f => f.StartsWith("error", StringComparison.Ordinal));
    }

    [Property]
    public bool Requests_over_the_limits_fail_in_pieces_as_in_one_piece(RequestStream stream, int[] cuts, BufferLayout layout, int[] segmentSizes) =>
        ReadsAsInOnePiece(new RequestReadLoop(s_tightLimits), stream.Bytes, cuts, layout, segmentSizes, s_tightLimits);

    [Property]
    public bool Damaged_requests_arriving_in_any_pieces_read_as_in_one_piece(RequestStream stream, NonNegativeInt damageAt, byte damage, int[] cuts, BufferLayout layout, int[] segmentSizes)
    {
        var bytes = stream.Bytes;
        bytes[damageAt.Get % bytes.Length] = damage;
        return ReadsAsInOnePiece(new RequestReadLoop(RespLimits.Default), bytes, cuts, layout, segmentSizes, RespLimits.Default)
            && ReadsAsInOnePiece(new RequestReadLoop(s_tightLimits), bytes, cuts, layout, segmentSizes, s_tightLimits);
    }

    /// <summary>After every piece, the loop has read what a fresh reader given those bytes at once reads.</summary>
    private static bool ReadsAsInOnePiece(RequestReadLoop loop, byte[] bytes, int[] cuts, BufferLayout layout, int[] segmentSizes, RespLimits limits)
    {
        foreach (var buffer in Deliveries.Of(bytes, cuts, layout, segmentSizes))
        {
            loop.Receive(buffer);
            if (!loop.Found.SequenceEqual(RequestReadLoop.OneShot(bytes.AsSpan(0, (int)buffer.Length), limits)))
            {
                return false;
            }
        }

        return true;
    }
}
