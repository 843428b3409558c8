using System.Buffers;

namespace RedisRing.Captcha.Images;

/// <summary>Bytes in an array rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose.</summary>
internal readonly struct RentedBytes(byte[] array, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

    public static RentedBytes Rent(int length) => new(ArrayPool<byte>.Shared.Rent(length), length);

    /// <summary>The rented array, to write into; only its first <c>length</c> bytes are the content.</summary>
    public byte[] Array => array;

    public byte[] ToArray() => Span.ToArray();

    public void Dispose() => ArrayPool<byte>.Shared.Return(array);
}
