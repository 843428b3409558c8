using RedisRing.Resp;

namespace RedisRing.Proxy.Transactions;

/// <summary>The bytes a node gets for a transaction: MULTI, the queued commands, EXEC.</summary>
internal static class TransactionBlock
{
    private static readonly byte[] s_exec = RespWriter.Command("EXEC");

    public static byte[] WithExec(TransactionState transaction)
    {
        var queued = transaction.Block.WrittenSpan;
        var block = new byte[queued.Length + s_exec.Length];
        queued.CopyTo(block);
        s_exec.CopyTo(block.AsSpan(queued.Length));
        return block;
    }
}
