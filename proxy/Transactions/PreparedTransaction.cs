namespace RedisRing.Proxy.Transactions;

/// <summary>
/// What EXEC sends and needs back, made once from a client's queued transaction: the block
/// (MULTI ... EXEC) every copy runs, the number of replies it gives, whether it writes or may run
/// long, its keys (for hints and repair) and the replies the proxy answers itself, put back in
/// place in EXEC's reply. Shared by <see cref="TransactionRun"/> and <see cref="WatchedExec"/>.
/// </summary>
internal sealed record PreparedTransaction(
    byte[] Block,
    int Replies,
    bool IsWrite,
    bool MayRunLong,
    List<ReadOnlyMemory<byte>> Keys,
    List<QueuedReply> Queued)
{
    public static PreparedTransaction From(TransactionState transaction) => new(
        TransactionBlock.WithExec(transaction),
        transaction.RemoteCount + 2, // MULTI's +OK, one +QUEUED per remote command, and EXEC's reply
        transaction.HasWrite,
        transaction.MayRunLong,
        [.. transaction.Keys],
        [.. transaction.Replies]);
}
