using System.Buffers;
using System.Buffers.Binary;

namespace RedisRing.ZooKeeper.Protocol;

/// <summary>Splits the receive buffer into length-prefixed frames.</summary>
internal static class FrameReader
{
    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>. An incomplete frame is
    /// not an error: it returns false and leaves the buffer alone until more bytes arrive. A length
    /// outside [0, limit] is a protocol error, checked before anything is buffered for it.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int limit, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length < 0 || length > limit)
        {
            throw new JuteFormatException($"Frame length {length} is outside [0, {limit}].");
        }

        if (buffer.Length < 4L + length)
        {
            return false;
        }

        frame = buffer.Slice(4, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }
}
