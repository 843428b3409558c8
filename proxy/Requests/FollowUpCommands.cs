using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// Builds what the other copies run after a node-dependent command ran on the first copy (see
/// <see cref="FirstCopyRewrite"/>): null when they need nothing (an error, nothing popped or claimed).
/// </summary>
internal static class FollowUpCommands
{
    public static byte[]? Build(FirstCopyRewrite rewrite, ReadOnlyMemory<byte> command, ReadOnlyMemory<byte> reply)
    {
        if (RespReply.IsError(reply.Span))
        {
            return null;
        }

        if (CopyReplies.ParseCommand(command) is not { Count: >= 2 } frame)
        {
            return null;
        }

        return rewrite switch
        {
            FirstCopyRewrite.SpopMembers => Srem(frame, reply),
            FirstCopyRewrite.XaddId => XaddWithId(frame, reply),
            FirstCopyRewrite.ClaimIds => XclaimIds(frame, reply),
            _ => null,
        };
    }

    /// <summary>The index of XADD's ID argument (after NOMKSTREAM and MAXLEN|MINID [=|~] n [LIMIT c]), or -1.</summary>
    public static int XaddIdIndex(RequestFrame frame)
    {
        var i = 2;
        while (i < frame.Count)
        {
            var argument = frame[i];
            if (Is(argument, "NOMKSTREAM"))
            {
                i++;
            }
            else if (Is(argument, "MAXLEN") || Is(argument, "MINID"))
            {
                i++;
                if (i < frame.Count && (frame[i].SequenceEqual("="u8) || frame[i].SequenceEqual("~"u8)))
                {
                    i++;
                }

                i++;
            }
            else if (Is(argument, "LIMIT"))
            {
                i += 2;
            }
            else
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[]? Srem(RequestFrame frame, ReadOnlyMemory<byte> reply)
    {
        var members = new List<ReadOnlyMemory<byte>>();
        if (reply.Span[0] == (byte)'$' && RespReply.GetString(reply) is { } single)
        {
            members.Add(single);
        }
        else if (RespReply.TrySplitArray(reply, members))
        {
            for (var i = 0; i < members.Count; i++)
            {
                members[i] = RespReply.GetString(members[i]) ?? ReadOnlyMemory<byte>.Empty;
            }
        }

        if (members.Count == 0)
        {
            return null;
        }

        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, 2 + members.Count);
        RespWriter.WriteBulk(writer, "SREM"u8);
        RespWriter.WriteBulk(writer, frame[1]);
        foreach (var member in members)
        {
            RespWriter.WriteBulk(writer, member.Span);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static byte[]? XaddWithId(RequestFrame frame, ReadOnlyMemory<byte> reply)
    {
        var index = XaddIdIndex(frame);
        if (index < 0 || RespReply.GetString(reply) is not { } id)
        {
            // NOMKSTREAM on a missing stream adds nothing (a nil reply).
            return null;
        }

        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, frame.Count);
        for (var i = 0; i < frame.Count; i++)
        {
            RespWriter.WriteBulk(writer, i == index ? id.Span : frame[i]);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// XCLAIM key group consumer 0 id... of the IDs the first copy claimed (and, for XAUTOCLAIM,
    /// the deleted IDs it dropped from the pending list, which XCLAIM drops as well), with JUSTID
    /// when the original had it, so that delivery counters move alike.
    /// </summary>
    private static byte[]? XclaimIds(RequestFrame frame, ReadOnlyMemory<byte> reply)
    {
        if (frame.Count < 5)
        {
            return null;
        }

        var isAuto = Is(frame[0], "XAUTOCLAIM");
        var justId = false;
        var options = new List<ReadOnlyMemory<byte>>();
        if (isAuto)
        {
            for (var i = 5; i < frame.Count; i++)
            {
                justId |= Is(frame[i], "JUSTID");
            }
        }
        else
        {
            // XCLAIM key group consumer min-idle id... [options]: keep the options (IDLE, TIME,
            // RETRYCOUNT, FORCE, JUSTID, LASTID), replace the IDs by those claimed.
            var first = 5;
            while (first < frame.Count && IsStreamId(frame[first]))
            {
                first++;
            }

            for (var i = first; i < frame.Count; i++)
            {
                justId |= Is(frame[i], "JUSTID");
                options.Add(frame.GetMemory(i));
            }
        }

        var ids = new List<ReadOnlyMemory<byte>>();
        var elements = new List<ReadOnlyMemory<byte>>();
        if (!RespReply.TrySplitArray(reply, elements))
        {
            return null;
        }

        if (isAuto)
        {
            if (elements.Count < 2)
            {
                return null;
            }

            var claimed = elements[1];
            var deleted = elements.Count > 2 ? elements[2] : ReadOnlyMemory<byte>.Empty;
            AddIds(claimed, justId, ids);
            if (!deleted.IsEmpty)
            {
                AddIds(deleted, justId: true, ids);
            }
        }
        else
        {
            AddIds(reply, justId, ids);
        }

        if (ids.Count == 0)
        {
            return null;
        }

        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, 5 + ids.Count + (isAuto ? (justId ? 1 : 0) : options.Count));
        RespWriter.WriteBulk(writer, "XCLAIM"u8);
        RespWriter.WriteBulk(writer, frame[1]);
        RespWriter.WriteBulk(writer, frame[2]);
        RespWriter.WriteBulk(writer, frame[3]);
        RespWriter.WriteBulk(writer, "0"u8);
        foreach (var id in ids)
        {
            RespWriter.WriteBulk(writer, id.Span);
        }

        if (isAuto)
        {
            if (justId)
            {
                RespWriter.WriteBulk(writer, "JUSTID"u8);
            }
        }
        else
        {
            foreach (var option in options)
            {
                RespWriter.WriteBulk(writer, option.Span);
            }
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Adds the IDs of an array of entries ([id, fields]) or of bare IDs.</summary>
    private static void AddIds(ReadOnlyMemory<byte> array, bool justId, List<ReadOnlyMemory<byte>> ids)
    {
        var items = new List<ReadOnlyMemory<byte>>();
        if (!RespReply.TrySplitArray(array, items))
        {
            return;
        }

        var entry = new List<ReadOnlyMemory<byte>>();
        foreach (var item in items)
        {
            if (item.Span[0] == (byte)'*' && RespReply.TrySplitArray(item, entry) && entry.Count > 0 && RespReply.GetString(entry[0]) is { } entryId)
            {
                ids.Add(entryId);
            }
            else if (RespReply.GetString(item) is { } bareId)
            {
                ids.Add(bareId);
            }
        }
    }

    private static bool IsStreamId(ReadOnlySpan<byte> argument) =>
        !argument.IsEmpty && argument.IndexOfAnyExceptInRange((byte)'0', (byte)'9') is var i && (i < 0 || (argument[i] == (byte)'-' && i > 0));

    private static bool Is(ReadOnlySpan<byte> argument, string keyword) => System.Text.Ascii.EqualsIgnoreCase(argument, keyword);
}
