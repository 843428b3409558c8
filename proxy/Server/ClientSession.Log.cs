using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Server;

internal sealed partial class ClientSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId}: {Error}; closing the connection")]
    private static partial void LogProtocolError(ILogger logger, long clientId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId}: failed authentication attempt")]
    private static partial void LogAuthFailed(ILogger logger, long clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} ran {Command} on every node")]
    private static partial void LogAdminCommand(ILogger logger, long clientId, string command);
}
