namespace RedisRing.ZooKeeper;

/// <summary>
/// A transaction failed as a whole: nothing was applied. <see cref="Results"/> has one entry per
/// operation: the failing one carries its error, earlier ones Ok, later ones RuntimeInconsistency.
/// </summary>
public sealed class MultiOperationException(ErrorCode code, int failedIndex, IReadOnlyList<OpResult> results)
    : ZooKeeperException(code)
{
    public int FailedIndex { get; } = failedIndex;

    public IReadOnlyList<OpResult> Results { get; } = results;
}
