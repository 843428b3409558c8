namespace RedisRing.ZooKeeper.Session;

/// <summary>What a connection reports to its session while it reads, on the I/O loop.</summary>
internal interface IConnectionEvents
{
    /// <summary>A reply carried a transaction id (the client's "last zxid seen").</summary>
    void OnZxid(long zxid);

    /// <summary>A watch fired on the server; the path is the server's (chroot included).</summary>
    void OnNotification(WatchEventType type, string serverPath);
}
