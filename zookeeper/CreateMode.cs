namespace RedisRing.ZooKeeper;

/// <summary>How a node is created; the numbers are the wire flags (CreateMode.toFlag).</summary>
public enum CreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,

    /// <summary>Deleted by the server once its last child is gone.</summary>
    Container = 4,

    /// <summary>Deleted by the server when unchanged and childless for the TTL (needs extendedTypesEnabled).</summary>
    PersistentWithTtl = 5,
    PersistentSequentialWithTtl = 6,
}
