using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Backends;

internal sealed partial class BackendNode
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: connection lost ({Reason}); reads move to other copies")]
    private static partial void LogConnectionLost(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is now {State}")]
    private static partial void LogStateChanged(ILogger logger, string node, BackendState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {Node}: connect failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogConnectFailed(ILogger logger, string node, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} needs a repair ({Reason}): it takes writes but serves no reads until repaired")]
    private static partial void LogNeedsRepair(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: replayed {Count} hinted keys from live copies")]
    private static partial void LogReplayed(ILogger logger, string node, int count);
}
