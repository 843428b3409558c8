namespace RedisRing.ZooKeeper;

/// <summary>The outcome of one operation of a transaction.</summary>
public abstract record OpResult
{
    /// <summary>A node was created; <see cref="Path"/> includes any sequence number.</summary>
    public sealed record Created(string Path, Stat? Stat) : OpResult;

    public sealed record Deleted : OpResult;

    public sealed record DataSet(Stat Stat) : OpResult;

    public sealed record Checked : OpResult;

    /// <summary>The operation failed (or, in a failed transaction, was not applied).</summary>
    public sealed record Error(ErrorCode Code) : OpResult;
}
