using Microsoft.Extensions.Logging;

namespace RedisRing.Membership.Watching;

public sealed partial class MembershipWatcher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Ring version {Version}: {Nodes}")]
    private partial void LogRingChanged(long version, string nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring node znode {Znode}: {Reason}")]
    private partial void LogIgnoredZnode(string znode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring {Path}: {Reason}")]
    private partial void LogBadConfig(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper session for cluster {Cluster} is {State}: serving with the last known ring (version {Version})")]
    private partial void LogKeepingLastRing(string cluster, string state, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "ZooKeeper connected for cluster {Cluster}: re-reading the ring")]
    private partial void LogConnected(string cluster);
}
