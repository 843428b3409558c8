namespace RedisRing.ZooKeeper;

/// <summary>Where a client's session stands. Expired, AuthFailed and Closed are final for that session.</summary>
public enum ZooKeeperState
{
    /// <summary>No session yet: the first connection (or the first after a renewal) is being made.</summary>
    Connecting,

    /// <summary>Connected to a server with a live session.</summary>
    Connected,

    /// <summary>
    /// The connection was lost; the client keeps reconnecting with its session for as long as it
    /// takes, and the session (ephemeral nodes, watches) may still be alive: only a server can
    /// say it is not. Treat what you own as suspended.
    /// </summary>
    Disconnected,

    /// <summary>The session is gone: a server answered the client's reconnect with "expired".</summary>
    Expired,

    /// <summary>The server rejected the credentials given to AddAuthAsync.</summary>
    AuthFailed,

    /// <summary>Closed by the application.</summary>
    Closed,
}
