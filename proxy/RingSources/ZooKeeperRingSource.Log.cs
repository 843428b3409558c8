using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.RingSources;

internal sealed partial class ZooKeeperRingSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Watching cluster {Cluster} in ZooKeeper {ConnectString}")]
    private static partial void LogWatching(ILogger logger, string cluster, string connectString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch cluster {Cluster} yet: {Reason}; retrying in {DelayMs} ms")]
    private static partial void LogCannotWatch(ILogger logger, string cluster, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot announce this proxy as {Address}: {Reason}; retrying in {DelayMs} ms")]
    private static partial void LogCannotAnnounce(ILogger logger, string address, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ring version {Version} in service (membership snapshot {Snapshot}): {Readable} nodes serve reads, {WriteOnly} take writes only")]
    private static partial void LogRingInService(ILogger logger, long version, long snapshot, int readable, int writeOnly);

    [LoggerMessage(Level = LogLevel.Error, Message = "Membership snapshot {Snapshot} gives no valid ring ({Reason}); keeping the ring in service")]
    private static partial void LogRingRefused(ILogger logger, long snapshot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {Cluster}: {Override}; every proxy of a cluster uses the cluster's ring settings")]
    private static partial void LogSettingOverridden(ILogger logger, string cluster, string @override);
}
