using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Handlers;

/// <summary>Log messages of the command handlers (source-generated).</summary>
internal static partial class CommandLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId}: failed authentication attempt")]
    public static partial void AuthFailed(ILogger logger, long clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} ran {Command} on every node")]
    public static partial void AdminCommand(ILogger logger, long clientId, string command);
}
