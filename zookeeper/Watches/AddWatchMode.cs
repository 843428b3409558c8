namespace RedisRing.ZooKeeper;

/// <summary>Modes of a watch that stays until removed (ZooKeeper 3.6+ addWatch).</summary>
public enum AddWatchMode
{
    /// <summary>Data, deletion, creation and child events of one node.</summary>
    Persistent = 0,

    /// <summary>Data, creation and deletion events of the node and every node below it (no child events).</summary>
    PersistentRecursive = 1,
}
