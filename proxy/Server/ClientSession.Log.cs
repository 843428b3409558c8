using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Server;

internal sealed partial class ClientSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId}: {Error}; closing the connection")]
    private static partial void LogProtocolError(ILogger logger, long clientId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} ({Address}): {HeldBytes} bytes of replies waiting to be sent, over the output buffer hard limit of {LimitBytes} bytes; closing the connection")]
    private static partial void LogHardOutputLimit(ILogger logger, long clientId, string address, long heldBytes, long limitBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} ({Address}): {HeldBytes} bytes of replies waiting to be sent, over the output buffer soft limit of {LimitBytes} bytes for more than {Seconds} s; closing the connection")]
    private static partial void LogSoftOutputLimit(ILogger logger, long clientId, string address, long heldBytes, long limitBytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} ({Address}): {HeldBytes} bytes of pub/sub messages waiting to be sent, over the pub/sub output buffer {Which} limit of {LimitBytes} bytes; closing the connection")]
    private static partial void LogPubSubOutputLimit(ILogger logger, long clientId, string address, long heldBytes, long limitBytes, string which);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientId} left while blocked; its blocking command is cancelled")]
    private static partial void LogLeftWhileBlocked(ILogger logger, long clientId);
}
