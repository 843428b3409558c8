namespace RedisRing.ZooKeeper.Session;

/// <summary>Why a connection ended when the server closed it or stopped answering.</summary>
internal sealed class ConnectionClosedException(string message) : IOException(message);
