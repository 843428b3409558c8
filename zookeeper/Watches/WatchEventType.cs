namespace RedisRing.ZooKeeper;

/// <summary>Node event types (Watcher.Event.EventType); the numbers are the wire values.</summary>
public enum WatchEventType
{
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
}
