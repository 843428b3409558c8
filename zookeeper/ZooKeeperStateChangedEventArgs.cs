namespace RedisRing.ZooKeeper;

/// <summary>A state change of a client's session, raised on the client's event dispatcher.</summary>
public sealed class ZooKeeperStateChangedEventArgs(ZooKeeperState previous, ZooKeeperState state, long sessionId) : EventArgs
{
    public ZooKeeperState Previous { get; } = previous;

    public ZooKeeperState State { get; } = state;

    /// <summary>The session the change is about (0 before the first session was established).</summary>
    public long SessionId { get; } = sessionId;
}
