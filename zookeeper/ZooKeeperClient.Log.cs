using Microsoft.Extensions.Logging;

namespace RedisRing.ZooKeeper;

// Session ids are not secrets (the server logs them); session passwords and auth data are never logged.
public sealed partial class ZooKeeperClient
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Server}, session 0x{SessionId:x}, timeout {TimeoutMs} ms")]
    private partial void LogConnected(string server, long sessionId, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not connect to {Server}: {Reason}")]
    private partial void LogConnectFailed(string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to {Server}: {Reason}")]
    private partial void LogDisconnected(string server, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ZooKeeper state {Previous} -> {State} (session 0x{SessionId:x})")]
    private partial void LogStateChanged(ZooKeeperState previous, ZooKeeperState state, long sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session 0x{SessionId:x} expired: {Server} says it no longer exists")]
    private partial void LogExpiredByServer(long sessionId, string server);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session 0x{SessionId:x}: the server rejected the authentication")]
    private partial void LogAuthFailed(long sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session 0x{SessionId:x} closed")]
    private partial void LogClosed(long sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A watch callback for {Path} threw")]
    private partial void LogWatcherFailed(Exception exception, string path);
}
