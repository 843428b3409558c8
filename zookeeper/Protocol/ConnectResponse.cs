namespace RedisRing.ZooKeeper.Protocol;

/// <summary>The server's answer to a connect request; a timeout of 0 means the session is expired.</summary>
internal sealed record ConnectResponse(int ProtocolVersion, int TimeoutMs, long SessionId, byte[] Password);
