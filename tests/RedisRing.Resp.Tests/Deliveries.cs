using System.Buffers;

namespace RedisRing.Resp.Tests;

/// <summary>How the bytes of a growing buffer are laid out in memory.</summary>
public enum BufferLayout
{
    /// <summary>One array, seen through a longer and longer array-backed sequence.</summary>
    Array,

    /// <summary>One segment that grows, as a pipe's first block before it fills.</summary>
    OneSegment,

    /// <summary>Many small segments, so that headers, payloads and CRLFs straddle them.</summary>
    Segments,
}

/// <summary>
/// The buffers a reader sees when bytes arrive in pieces: each has the same start as the last and
/// more bytes at its end, as a pipe gives them when the reader consumes nothing.
/// </summary>
internal static class Deliveries
{
    /// <summary>
    /// Cuts <paramref name="bytes"/> at <paramref name="cuts"/> (taken modulo its length + 1) and
    /// returns the growing buffer after each piece, the last holding every byte.
    /// </summary>
    public static List<ReadOnlySequence<byte>> Of(byte[] bytes, int[]? cuts, BufferLayout layout, int[]? segmentSizes = null)
    {
        var points = (cuts ?? [])
            .Select(c => (int)((uint)c % (uint)(bytes.Length + 1)))
            .Append(bytes.Length)
            .Where(p => p > 0)
            .Distinct()
            .Order()
            .ToList();
        var buffers = new List<ReadOnlySequence<byte>>();
        if (layout == BufferLayout.Array)
        {
            var array = bytes.ToArray();
            buffers.AddRange(points.Select(p => new ReadOnlySequence<byte>(array, 0, p)));
            return buffers;
        }

        var growing = layout == BufferLayout.OneSegment
            ? GrowingBuffer.OneArray(bytes.Length)
            : GrowingBuffer.Segments([.. (segmentSizes ?? []).Select(s => 1 + (int)((uint)s % 64))]);
        var previous = 0;
        foreach (var point in points)
        {
            buffers.Add(growing.Append(bytes.AsSpan(previous, point - previous)));
            previous = point;
        }

        return buffers;
    }

    /// <summary>Receives of <paramref name="receiveSize"/> bytes into blocks of <paramref name="blockSize"/>, as a socket fills a pipe.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> InReceives(byte[] bytes, int receiveSize, int blockSize)
    {
        var growing = GrowingBuffer.Segments(blockSize);
        for (var offset = 0; offset < bytes.Length; offset += receiveSize)
        {
            yield return growing.Append(bytes.AsSpan(offset, Math.Min(receiveSize, bytes.Length - offset)));
        }
    }
}
