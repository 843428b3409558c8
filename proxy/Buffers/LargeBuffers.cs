using System.Buffers;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Where buffers for large values come from. Arrays up to <see cref="PooledLimit"/> are rented
/// from <see cref="ArrayPool{T}.Shared"/>; larger ones are allocated and dropped after use:
/// the shared pool keeps arrays of up to a gigabyte cached for the life of the process, so one
/// 64 MB value would keep hundreds of megabytes resident long after it went through.
/// </summary>
internal static class LargeBuffers
{
    public const int PooledLimit = 1024 * 1024;

    public static byte[] Rent(int length) =>
        length <= PooledLimit ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    public static void Return(byte[] array)
    {
        if (array.Length is > 0 and <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
