using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// One client request as read by <see cref="RequestReader"/>: its arguments as slices of one
/// contiguous buffer, and the raw RESP bytes to forward unchanged. A frame is reused for the next
/// request of the same connection; the memory it points to is valid until the reader's buffer is
/// advanced past it, or, when it owns a rented copy, until <see cref="Reset"/>. While a request
/// is arriving in pieces the frame also keeps how far the reader got (see <see cref="Scan"/>).
/// </summary>
public sealed class RequestFrame
{
    private (int Start, int Length)[] _arguments = new (int, int)[16];
    private byte[]? _rented;
    private ReadOnlyMemory<byte> _bytes;

    /// <summary>The reader's progress through a request not yet complete.</summary>
    internal RequestScanState Scan;

    /// <summary>
    /// Bytes the reader has looked at or skipped over for this frame, summed over every request
    /// and call (a byte looked at twice counts twice); tests check that it stays linear.
    /// </summary>
    internal long BytesExamined { get; set; }

    /// <summary>Number of arguments, the command name included.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The request as a RESP array of bulk strings. For a RESP request these are the client's own
    /// bytes; for an inline command they are an encoding made by the reader.
    /// </summary>
    public ReadOnlyMemory<byte> Raw { get; private set; }

    /// <summary>True when the request came as an inline command line.</summary>
    public bool IsInline { get; private set; }

    /// <summary>Bytes of input the request took, including its terminator.</summary>
    public long ConsumedLength { get; internal set; }

    public ReadOnlySpan<byte> this[int index] => GetMemory(index).Span;

    public ReadOnlyMemory<byte> GetMemory(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        var (start, length) = _arguments[index];
        return _bytes.Slice(start, length);
    }

    /// <summary>
    /// Takes ownership of the copy rented from <see cref="ByteArrayPool.Shared"/> (so it outlives
    /// this frame), to be returned there; null when none. Large copies come from its bounded,
    /// trimmable cache, never from <see cref="ArrayPool{T}.Shared"/>, which would keep them for
    /// the life of the process.
    /// </summary>
    public byte[]? DetachRentedBuffer()
    {
        var rented = _rented;
        _rented = null;
        return rented;
    }

    public void Reset()
    {
        if (_rented is not null)
        {
            ByteArrayPool.Shared.Return(_rented);
            _rented = null;
        }

        Count = 0;
        _bytes = default;
        Raw = default;
        IsInline = false;
        ConsumedLength = 0;
        Scan = default;
    }

    internal void SetSource(ReadOnlyMemory<byte> bytes, bool isInline)
    {
        _bytes = bytes;
        Raw = bytes;
        IsInline = isInline;
        Count = 0;
    }

    internal void SetRaw(ReadOnlyMemory<byte> raw) => Raw = raw;

    /// <summary>
    /// An array of at least <paramref name="length"/> bytes to copy the request into, valid until
    /// <see cref="Reset"/> or until detached: from <see cref="ByteArrayPool.Shared"/>.
    /// </summary>
    internal byte[] GetCopyBuffer(int length)
    {
        if (_rented is not null)
        {
            ByteArrayPool.Shared.Return(_rented);
            _rented = null;
        }

        _rented = ByteArrayPool.Shared.Rent(Math.Max(length, 256));
        return _rented;
    }

    internal void AddArgument(int start, int length)
    {
        SetArgument(Count, start, length);
        Count++;
    }

    /// <summary>
    /// Records argument <paramref name="index"/> while a request is still being scanned; it
    /// counts once <see cref="SetArgumentCount"/> says the request is complete.
    /// </summary>
    internal void SetArgument(int index, int start, int length)
    {
        if (index >= _arguments.Length)
        {
            Array.Resize(ref _arguments, Math.Max(index + 1, _arguments.Length * 2));
        }

        _arguments[index] = (start, length);
    }

    internal void SetArgumentCount(int count) => Count = count;
}
