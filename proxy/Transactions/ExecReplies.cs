using System.Buffers;
using System.Globalization;
using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Transactions;

/// <summary>How the proxy reads the nodes' EXEC replies and builds the client's.</summary>
internal static class ExecReplies
{
    /// <summary>The EXEC reply of a transaction that did not run because a watched key changed.</summary>
    public static bool IsAborted(ReadOnlySpan<byte> reply) => reply.StartsWith("*-1\r\n"u8);

    /// <summary>
    /// What must agree between two copies' EXEC replies for them to have applied the transaction
    /// alike: the reply's type and, for an array, which elements are errors. Values may differ
    /// legitimately (TIME, a read of a copy being repaired); an element that failed on one copy
    /// only means that copy did not apply that command.
    /// </summary>
    public static string Signature(ReadOnlyMemory<byte> reply)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        if (!RespReply.TrySplitArray(reply, elements))
        {
            return reply.IsEmpty ? string.Empty : ((char)reply.Span[0]).ToString();
        }

        var signature = new char[elements.Count + 1];
        signature[0] = '*';
        for (var i = 0; i < elements.Count; i++)
        {
            signature[i + 1] = RespReply.IsError(elements[i].Span) ? '-' : '+';
        }

        return new string(signature);
    }

    /// <summary>
    /// The client's EXEC reply: the nodes' reply as it is when every queued command ran there,
    /// else their elements with the proxy's own replies (PING, ECHO, TIME) put back in the order
    /// the client queued the commands. A reply that is not an array (nil: a watched key changed,
    /// or an error) goes through unchanged.
    /// </summary>
    public static void Write(PooledBufferWriter target, ReadOnlyMemory<byte> nodeReply, IReadOnlyList<QueuedReply> replies, TimeProvider time)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        var remote = 0;
        foreach (var reply in replies)
        {
            remote += reply.Kind == QueuedReplyKind.Remote ? 1 : 0;
        }

        if (remote == replies.Count || !RespReply.TrySplitArray(nodeReply, elements) || elements.Count != remote)
        {
            target.Write(nodeReply.Span);
            return;
        }

        WriteWithLocal(target, elements, replies, time);
    }

    /// <summary>The reply to a transaction of keyless commands only, which never reaches a node.</summary>
    public static void WriteLocalOnly(PooledBufferWriter target, IReadOnlyList<QueuedReply> replies, TimeProvider time) =>
        WriteWithLocal(target, [], replies, time);

    private static void WriteWithLocal(PooledBufferWriter target, List<ReadOnlyMemory<byte>> elements, IReadOnlyList<QueuedReply> replies, TimeProvider time)
    {
        RespWriter.WriteArrayHeader(target, replies.Count);
        var next = 0;
        foreach (var reply in replies)
        {
            switch (reply.Kind)
            {
                case QueuedReplyKind.Remote:
                    target.Write(elements[next++].Span);
                    break;
                case QueuedReplyKind.Fixed:
                    target.Write(reply.Fixed!);
                    break;
                case QueuedReplyKind.Time:
                    var micros = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
                    RespWriter.WriteArrayHeader(target, 2);
                    RespWriter.WriteBulk(target, (micros / 1_000_000).ToString(CultureInfo.InvariantCulture));
                    RespWriter.WriteBulk(target, (micros % 1_000_000).ToString(CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    public static byte[] Copy(in ReadOnlySequence<byte> reply) => reply.ToArray();
}
