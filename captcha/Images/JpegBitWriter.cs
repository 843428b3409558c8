using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Writes bytes and big-endian bit strings for <see cref="JpegWriter"/>, with 0xFF stuffed by 0x00
/// in entropy-coded data. Bits gather in a 64-bit accumulator and leave 32 at a time, as one
/// big-endian store when none of the four bytes is 0xFF (nearly always): a byte-at-a-time loop
/// was a good part of the encoder's time on noisy pictures, which have many short codes.
/// </summary>
internal struct JpegBitWriter(byte[] buffer)
{
    private readonly byte[] _buffer = buffer;
    private ulong _bits;
    private int _count;

    public int Position { get; private set; }

    public void WriteMarker(byte marker)
    {
        _buffer[Position++] = 0xFF;
        _buffer[Position++] = marker;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(Position));
        Position += bytes.Length;
    }

    /// <summary>Appends the low <paramref name="length"/> bits of <paramref name="value"/> (at most 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint value, int length)
    {
        // _count stays below 32 between calls, so 32 more bits always fit.
        _bits = (_bits << length) | (value & (uint)((1ul << length) - 1));
        _count += length;
        if (_count >= 32)
        {
            _count -= 32;
            WriteWord((uint)(_bits >> _count));
        }
    }

    /// <summary>Writes the bits still held, the last byte padded with one bits as T.81 asks.</summary>
    public void Flush()
    {
        while (_count >= 8)
        {
            _count -= 8;
            WriteByte((byte)(_bits >> _count));
        }

        if (_count > 0)
        {
            var padding = 8 - _count;
            WriteByte((byte)((_bits << padding) | ((1u << padding) - 1)));
            _count = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteWord(uint word)
    {
        // A byte of word is 0xFF exactly where a byte of ~word is zero (the classic zero-byte test).
        var inverted = ~word;
        if (((inverted - 0x0101_0101u) & ~inverted & 0x8080_8080u) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Position, 4), word);
            Position += 4;
            return;
        }

        WriteByte((byte)(word >> 24));
        WriteByte((byte)(word >> 16));
        WriteByte((byte)(word >> 8));
        WriteByte((byte)word);
    }

    private void WriteByte(byte value)
    {
        _buffer[Position++] = value;
        if (value == 0xFF)
        {
            _buffer[Position++] = 0;
        }
    }
}
