namespace RedisRing.ZooKeeper.Protocol;

/// <summary>
/// The first packet on a connection. <see cref="LastZxidSeen"/> makes a server that is behind what
/// the client already saw refuse the connection, so the client never goes back in time.
/// </summary>
internal sealed record ConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, byte[] Password)
{
    public void Write(JuteWriter writer)
    {
        writer.WriteInt(0); // protocol version
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password);
        writer.WriteBool(false); // read-only sessions are not supported
    }
}
