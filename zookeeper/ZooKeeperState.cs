namespace RedisRing.ZooKeeper;

/// <summary>Where a client's session stands. Expired, AuthFailed and Closed are final for that session.</summary>
public enum ZooKeeperState
{
    /// <summary>No session yet: the first connection (or the first after a renewal) is being made.</summary>
    Connecting,

    /// <summary>Connected to a server with a live session.</summary>
    Connected,

    /// <summary>
    /// The connection was lost; the client is reconnecting within the session timeout and the
    /// session (ephemeral nodes, watches) may still be alive. Treat what you own as suspended.
    /// </summary>
    Disconnected,

    /// <summary>The session is gone, reported by the server or by the client after it could not reach one for a whole session timeout.</summary>
    Expired,

    /// <summary>The server rejected the credentials given to AddAuthAsync.</summary>
    AuthFailed,

    /// <summary>Closed by the application.</summary>
    Closed,
}
