namespace RedisRing.ZooKeeper.Watches;

/// <summary>The server paths of every watch the client holds, by kind.</summary>
internal sealed record WatchSnapshot(
    IReadOnlyList<string> Data,
    IReadOnlyList<string> Exist,
    IReadOnlyList<string> Child,
    IReadOnlyList<string> Persistent,
    IReadOnlyList<string> PersistentRecursive)
{
    public bool IsEmpty => Data.Count + Exist.Count + Child.Count + Persistent.Count + PersistentRecursive.Count == 0;
}
