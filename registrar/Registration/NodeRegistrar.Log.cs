using Microsoft.Extensions.Logging;

namespace RedisRing.Registrar.Registration;

internal sealed partial class NodeRegistrar
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis} is unhealthy: {Reason}")]
    private partial void LogUnhealthy(string redis, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {Redis} is healthy again")]
    private partial void LogHealthy(string redis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis} restarted (run_id changed): registering it again; its member becomes joining")]
    private partial void LogRestarted(string redis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Redis}: no longer live ({Reason}); it keeps its place in the ring")]
    private partial void LogDropping(string redis, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with --leave: node {Node} leaves the ring")]
    private partial void LogLeaving(string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Path}, left by our session while ZooKeeper could not be reached")]
    private partial void LogStaleLivenessDeleted(string path);
}
