namespace RedisRing.ZooKeeper;

/// <summary>A change a watch was set for. <see cref="Path"/> is relative to the client's chroot.</summary>
public sealed record WatchedEvent(WatchEventType Type, string Path);
