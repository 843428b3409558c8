using Microsoft.Extensions.Logging;

namespace RedisRing.Registrar.Registration;

internal sealed partial class NodeRegistrar
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis} is unhealthy: {Reason}")]
    private partial void LogUnhealthy(string redis, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {Redis} is healthy again")]
    private partial void LogHealthy(string redis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis} restarted (run_id changed): re-registering it as joining")]
    private partial void LogRestarted(string redis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis}: removing its node from the ring ({Reason})")]
    private partial void LogDropping(string redis, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: node {Node} is leaving")]
    private partial void LogLeaving(string node);
}
