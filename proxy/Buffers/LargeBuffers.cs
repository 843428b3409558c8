using RedisRing.Resp;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Where the proxy's growable buffers get their arrays: <see cref="ByteArrayPool.Shared"/>, so
/// that large ones are reused while large values flow and given back by the idle trim.
/// </summary>
internal static class LargeBuffers
{
    public static byte[] Rent(int length) => ByteArrayPool.Shared.Rent(length);

    public static void Return(byte[] array) => ByteArrayPool.Shared.Return(array);
}
