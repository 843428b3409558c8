namespace RedisRing.ZooKeeper;

/// <summary>
/// A request larger than the packet limit (the server's jute.maxbuffer); raised before anything
/// is sent, because the server would drop the whole connection on such a packet.
/// </summary>
public sealed class PacketTooLargeException(long length, int limit)
    : ArgumentException($"Request of {length} bytes exceeds the {limit}-byte packet limit.")
{
    public long Length { get; } = length;

    public int Limit { get; } = limit;
}
