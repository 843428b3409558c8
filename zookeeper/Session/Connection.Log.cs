using Microsoft.Extensions.Logging;

namespace RedisRing.ZooKeeper.Session;

internal sealed partial class Connection
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Protocol error from {Server}: {Reason}; dropping the connection")]
    private partial void LogProtocolError(string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server} refused to restore watches: {Error}")]
    private partial void LogSetWatchesFailed(string server, ErrorCode error);
}
