using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Server;

internal sealed partial class ClientSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId}: {Error}; closing the connection")]
    private static partial void LogProtocolError(ILogger logger, long clientId, string error);
}
