using System.Buffers;

namespace RedisRing.Resp.Tests;

/// <summary>
/// Hands out bytes as a pipe reader sees them when nothing is consumed: after every
/// <see cref="Append"/> the buffer has the same start and more bytes at its end. The bytes live
/// either in one array whose visible part grows, or in a chain of segments each filled in turn
/// (so that a segment also grows while it is the last one), which is what a Pipe does.
/// </summary>
internal sealed class GrowingBuffer
{
    private readonly int[] _capacities;
    private GrowingSegment? _first;
    private GrowingSegment? _last;
    private long _length;
    private int _segmentCount;

    private GrowingBuffer(int[] capacities) => _capacities = capacities;

    /// <summary>One array of <paramref name="capacity"/> bytes: every buffer is a single segment.</summary>
    public static GrowingBuffer OneArray(int capacity) => new([Math.Max(1, capacity)]);

    /// <summary>Segments of the given sizes, cycled (sizes below 1 count as 1).</summary>
    public static GrowingBuffer Segments(params int[] capacities) =>
        new(capacities.Length == 0 ? [4096] : [.. capacities.Select(c => Math.Max(1, c))]);

    public long Length => _length;

    public ReadOnlySequence<byte> Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_last is null || _last.IsFull)
            {
                var capacity = _capacities[_segmentCount++ % _capacities.Length];
                var next = new GrowingSegment(capacity, _length);
                if (_last is null)
                {
                    _first = next;
                }
                else
                {
                    _last.Link(next);
                }

                _last = next;
            }

            var written = _last.Fill(bytes);
            bytes = bytes[written..];
            _length += written;
        }

        return Current;
    }

    public ReadOnlySequence<byte> Current => _first is null
        ? ReadOnlySequence<byte>.Empty
        : new ReadOnlySequence<byte>(_first, 0, _last!, _last!.Memory.Length);

    private sealed class GrowingSegment : ReadOnlySequenceSegment<byte>
    {
        private readonly byte[] _array;
        private int _filled;

        public GrowingSegment(int capacity, long runningIndex)
        {
            _array = new byte[capacity];
            RunningIndex = runningIndex;
            Memory = ReadOnlyMemory<byte>.Empty;
        }

        public bool IsFull => _filled == _array.Length;

        public void Link(GrowingSegment next) => Next = next;

        public int Fill(ReadOnlySpan<byte> bytes)
        {
            var count = Math.Min(bytes.Length, _array.Length - _filled);
            bytes[..count].CopyTo(_array.AsSpan(_filled));
            _filled += count;
            Memory = _array.AsMemory(0, _filled);
            return count;
        }
    }
}
