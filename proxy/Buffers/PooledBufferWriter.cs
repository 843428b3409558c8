using System.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// A growable buffer on <see cref="ArrayPool{T}"/> that is reset and reused rather than
/// reallocated: replies and rewritten commands are assembled here without garbage. Buffers
/// come from <see cref="ByteArrayPool"/>, whose large arrays the idle trim gives back.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Write(in ReadOnlySequence<byte> bytes)
    {
        var length = checked((int)bytes.Length);
        Ensure(length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += length;
    }

    /// <summary>Forgets the contents; keeps a modest buffer for reuse and returns a large one.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > 64 * 1024)
        {
            ByteArrayPool.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var next = ByteArrayPool.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(256, (long)_buffer.Length * 2))));
        _buffer.AsSpan(0, _written).CopyTo(next);
        ByteArrayPool.Shared.Return(_buffer);

        _buffer = next;
    }
}
