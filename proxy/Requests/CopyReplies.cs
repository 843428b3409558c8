using System.Buffers;
using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>How the proxy reads one copy's reply to a write, and the EVALSHA-to-EVAL rewrite.</summary>
internal static class CopyReplies
{
    // Errors that say something about the server, not about the command: another copy in a
    // healthy state would have run it. Matched with the space, so that BUSYKEY (RESTORE's
    // "target key exists", a command error) is not BUSY.
    private static readonly byte[][] s_serverStatePrefixes =
    [
        "-NOSCRIPT "u8.ToArray(), "-LOADING "u8.ToArray(), "-OOM "u8.ToArray(), "-BUSY "u8.ToArray(),
        "-MISCONF "u8.ToArray(), "-READONLY "u8.ToArray(), "-MASTERDOWN "u8.ToArray(),
        "-NOREPLICAS "u8.ToArray(), "-NOAUTH "u8.ToArray(), "-CLUSTERDOWN "u8.ToArray(),
    ];

    public static CopyOutcome Classify(in ReadOnlySequence<byte> reply)
    {
        var first = reply.FirstSpan;
        if (first.IsEmpty || first[0] != (byte)'-')
        {
            return CopyOutcome.Success;
        }

        Span<byte> head = stackalloc byte[16];
        var length = (int)Math.Min(head.Length, reply.Length);
        reply.Slice(0, length).CopyTo(head);
        head = head[..length];
        foreach (var prefix in s_serverStatePrefixes)
        {
            if (head.StartsWith(prefix))
            {
                return CopyOutcome.ServerError;
            }
        }

        return CopyOutcome.CommandError;
    }

    public static bool IsNoScript(in ReadOnlySequence<byte> reply)
    {
        Span<byte> head = stackalloc byte[10];
        if (reply.Length < head.Length)
        {
            return false;
        }

        reply.Slice(0, head.Length).CopyTo(head);
        return head.SequenceEqual("-NOSCRIPT "u8);
    }

    /// <summary>
    /// EVALSHA sha numkeys ... as EVAL body numkeys ... (EVALSHA_RO as EVAL_RO), or null when the
    /// command is not an EVALSHA or the body is unknown.
    /// </summary>
    public static byte[]? RewriteEvalShaAsEval(ReadOnlyMemory<byte> command, ScriptCache scripts)
    {
        if (ParseCommand(command) is not { Count: >= 3 } frame)
        {
            return null;
        }

        var name = frame[0];
        var readOnly = name.Length == "EVALSHA_RO".Length;
        if (name.Length < 7 || !System.Text.Ascii.EqualsIgnoreCase(name[..7], "EVALSHA"u8))
        {
            return null;
        }

        if (scripts.Find(frame[1]) is not { } body)
        {
            return null;
        }

        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, frame.Count);
        RespWriter.WriteBulk(writer, readOnly ? "EVAL_RO"u8 : "EVAL"u8);
        RespWriter.WriteBulk(writer, body);
        for (var i = 2; i < frame.Count; i++)
        {
            RespWriter.WriteBulk(writer, frame[i]);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a command's own RESP bytes (the rare paths that must look inside one); null when malformed.</summary>
    public static RequestFrame? ParseCommand(ReadOnlyMemory<byte> command)
    {
        var frame = new RequestFrame();
        return RequestReader.TryRead(new ReadOnlySequence<byte>(command), frame, RespLimits.Default, out _) == RespStatus.Complete ? frame : null;
    }
}
