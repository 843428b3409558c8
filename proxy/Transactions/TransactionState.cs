using System.Buffers;
using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// One client's transaction between MULTI and EXEC/DISCARD: the block sent to the nodes (MULTI,
/// the queued commands, EXEC), the reply source of each queued command, and the one hashed part
/// (hash tag, or whole key) every key must share. Used by the session's thread only.
/// </summary>
internal sealed class TransactionState
{
    private static readonly byte[] s_multi = RespWriter.Command("MULTI");

    /// <summary>Between MULTI and EXEC/DISCARD.</summary>
    public bool InMulti { get; private set; }

    /// <summary>A command was refused while queuing: EXEC answers EXECABORT, as Redis does.</summary>
    public bool Dirty { get; set; }

    /// <summary>MULTI, then each queued command's bytes (EXEC is appended when it runs).</summary>
    public PooledBufferWriter Block { get; } = new();

    /// <summary>Commands queued for the nodes (their EXEC reply has this many elements).</summary>
    public int RemoteCount { get; private set; }

    public List<QueuedReply> Replies { get; } = [];

    /// <summary>Keys the queued commands touch, recorded as hints for copies that miss the transaction.</summary>
    public List<ReadOnlyMemory<byte>> Keys { get; } = [];

    public bool HasWrite { get; private set; }

    public bool MayRunLong { get; private set; }

    public void Begin()
    {
        Discard();
        InMulti = true;
        Block.Write(s_multi);
    }

    public void QueueRemote(ReadOnlySpan<byte> command, bool isWrite, bool mayRunLong)
    {
        Block.Write(command);
        RemoteCount++;
        HasWrite |= isWrite;
        MayRunLong |= mayRunLong;
        Replies.Add(QueuedReply.Remote);
    }

    public void QueueLocal(QueuedReply reply) => Replies.Add(reply);

    public void AddKey(ReadOnlySpan<byte> key) => Keys.Add(key.ToArray());

    public bool HasLocalReplies => Replies.Count != RemoteCount;

    /// <summary>Ends the transaction (EXEC taken, DISCARD, RESET) and forgets what was queued.</summary>
    public void Discard()
    {
        InMulti = false;
        Dirty = false;
        Block.Reset();
        RemoteCount = 0;
        Replies.Clear();
        Keys.Clear();
        HasWrite = false;
        MayRunLong = false;
    }
}
