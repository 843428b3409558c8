using System.Globalization;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Proxy.Blocking;

/// <summary>
/// A blocking command taken apart: the non-blocking command that does its work (BLPOP k 5 is
/// LMPOP 1 k LEFT), how long to wait, the keys to wait on, and how the non-blocking reply becomes
/// the blocking command's. The non-blocking form is an ordinary keyed write, so it reaches every
/// copy in the same order as other writes of its keys and the copies stay equal.
/// </summary>
internal sealed class BlockingPlan
{
    // A timeout longer than this (about 31 years) is waited as for ever: the clock's arithmetic stays in range.
    private const long ForEverMs = 1_000_000_000_000;

    private static readonly byte[] s_nullArray = "*-1\r\n"u8.ToArray();

    private BlockingPlan(List<byte[]> arguments, CommandInfo info, TimeSpan? timeout, bool blocks, byte[] nilReply, BlockingReplyShape shape, List<byte[]> keys, bool probeWithExists)
    {
        Arguments = arguments;
        Info = info;
        Timeout = timeout;
        Blocks = blocks;
        NilReply = nilReply;
        Shape = shape;
        Keys = keys;
        ProbeWithExists = probeWithExists;
    }

    /// <summary>The non-blocking command, argument by argument (XREAD's <c>$</c> IDs are resolved in place before the first try).</summary>
    public List<byte[]> Arguments { get; }

    /// <summary>The non-blocking command's description (LMPOP, ZMPOP, LMOVE, XREAD ...).</summary>
    public CommandInfo Info { get; }

    /// <summary>How long to wait; null for ever (a timeout of 0).</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>False when Redis would not block either (XREADGROUP with IDs other than <c>&gt;</c> reads history): one try.</summary>
    public bool Blocks { get; }

    /// <summary>The reply on timeout: a null array for every blocking command, BLMOVE and BRPOPLPUSH included, as Redis 7.0 answers.</summary>
    public byte[] NilReply { get; }

    public BlockingReplyShape Shape { get; }

    /// <summary>The keys whose writes may end the wait.</summary>
    public List<byte[]> Keys { get; }

    /// <summary>
    /// Polls check EXISTS (a read on one copy) before trying the pop (a write to every copy):
    /// lists and sorted sets vanish when empty, so a key that exists has something to pop.
    /// </summary>
    public bool ProbeWithExists { get; }

    /// <summary>The indexes in <see cref="Arguments"/> of XREAD IDs given as <c>$</c>, paired with their key's index.</summary>
    public List<(int Id, int Key)> LastIdArguments { get; } = [];

    /// <summary>XREAD/XREADGROUP with a BLOCK option: they take the blocking route; without it they are plain keyed commands.</summary>
    public static bool HasBlockOption(RequestFrame frame)
    {
        for (var i = 1; i < frame.Count; i++)
        {
            if (Is(frame[i], "STREAMS"u8))
            {
                return false;
            }

            if (Is(frame[i], "BLOCK"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The plan for <paramref name="frame"/>, or null with Redis's error for a bad timeout.</summary>
    public static BlockingPlan? Create(RequestFrame frame, CommandInfo info, out string? error)
    {
        error = null;
        var count = frame.Count;
        var name = info.Name;
        switch (name)
        {
            case "BLPOP" or "BRPOP" or "BZPOPMIN" or "BZPOPMAX":
            {
                if (!TryParseSeconds(frame[count - 1], out var timeout, out error))
                {
                    return null;
                }

                var list = name is "BLPOP" or "BRPOP";
                var arguments = new List<byte[]> { list ? "LMPOP"u8.ToArray() : "ZMPOP"u8.ToArray(), Ascii(count - 2) };
                var keys = new List<byte[]>();
                for (var i = 1; i < count - 1; i++)
                {
                    arguments.Add(frame[i].ToArray());
                    keys.Add(frame[i].ToArray());
                }

                arguments.Add(name switch { "BLPOP" => "LEFT"u8.ToArray(), "BRPOP" => "RIGHT"u8.ToArray(), "BZPOPMIN" => "MIN"u8.ToArray(), _ => "MAX"u8.ToArray() });
                return new BlockingPlan(arguments, Lookup(list ? "LMPOP" : "ZMPOP"), timeout, true, s_nullArray, list ? BlockingReplyShape.KeyAndElement : BlockingReplyShape.KeyMemberScore, keys, probeWithExists: true);
            }

            case "BLMPOP" or "BZMPOP":
            {
                if (!TryParseSeconds(frame[1], out var timeout, out error))
                {
                    return null;
                }

                var arguments = new List<byte[]> { name == "BLMPOP" ? "LMPOP"u8.ToArray() : "ZMPOP"u8.ToArray() };
                for (var i = 2; i < count; i++)
                {
                    arguments.Add(frame[i].ToArray());
                }

                if (!RequestReader.TryParseInt64(frame[2], out var numKeys) || numKeys <= 0)
                {
                    error = "ERR numkeys should be greater than 0";
                    return null;
                }

                // Too many keys is the non-blocking command's to refuse, in Redis's words.
                var keys = new List<byte[]>();
                if (numKeys <= count - 3)
                {
                    for (var i = 0; i < numKeys; i++)
                    {
                        keys.Add(frame[3 + i].ToArray());
                    }
                }

                return new BlockingPlan(arguments, Lookup(name == "BLMPOP" ? "LMPOP" : "ZMPOP"), timeout, true, s_nullArray, BlockingReplyShape.AsIs, keys, probeWithExists: true);
            }

            case "BLMOVE" or "BRPOPLPUSH":
            {
                if (!TryParseSeconds(frame[count - 1], out var timeout, out error))
                {
                    return null;
                }

                var arguments = new List<byte[]> { name == "BLMOVE" ? "LMOVE"u8.ToArray() : "RPOPLPUSH"u8.ToArray() };
                for (var i = 1; i < count - 1; i++)
                {
                    arguments.Add(frame[i].ToArray());
                }

                return new BlockingPlan(arguments, Lookup(name == "BLMOVE" ? "LMOVE" : "RPOPLPUSH"), timeout, true, s_nullArray, BlockingReplyShape.AsIs, [frame[1].ToArray()], probeWithExists: true);
            }

            case "XREAD" or "XREADGROUP":
                return CreateStreamRead(frame, info, out error);
            default:
                error = $"ERR internal error: {name} has no blocking plan";
                return null;
        }
    }

    private static BlockingPlan? CreateStreamRead(RequestFrame frame, CommandInfo info, out string? error)
    {
        error = null;
        var arguments = new List<byte[]> { frame[0].ToArray() };
        TimeSpan? timeout = null;
        var streams = -1;
        for (var i = 1; i < frame.Count; i++)
        {
            if (streams < 0 && Is(frame[i], "BLOCK"u8) && i + 1 < frame.Count)
            {
                if (!RequestReader.TryParseInt64(frame[i + 1], out var ms))
                {
                    error = "ERR timeout is not an integer or out of range";
                    return null;
                }

                if (ms < 0)
                {
                    error = "ERR timeout is negative";
                    return null;
                }

                timeout = ms == 0 || ms > ForEverMs ? null : TimeSpan.FromMilliseconds(ms);
                i++;
                continue;
            }

            if (streams < 0 && Is(frame[i], "STREAMS"u8))
            {
                streams = arguments.Count;
            }

            arguments.Add(frame[i].ToArray());
        }

        var keys = new List<byte[]>();
        var group = info.Name == "XREADGROUP";
        var blocks = true;
        var plan = new BlockingPlan(arguments, info, timeout, blocks, s_nullArray, BlockingReplyShape.AsIs, keys, probeWithExists: false);
        var rest = streams < 0 ? 0 : arguments.Count - streams - 1;
        if (rest == 0 || rest % 2 != 0)
        {
            // Malformed: the non-blocking command answers it with Redis's error, once.
            return new BlockingPlan(arguments, info, timeout, false, s_nullArray, BlockingReplyShape.AsIs, keys, probeWithExists: false);
        }

        var pairs = rest / 2;
        for (var k = 0; k < pairs; k++)
        {
            keys.Add(arguments[streams + 1 + k]);
            var id = arguments[streams + 1 + pairs + k];
            if (group && !id.AsSpan().SequenceEqual(">"u8))
            {
                // XREADGROUP with an ID reads the consumer's pending history, which Redis answers at once.
                blocks = false;
            }
            else if (!group && id.AsSpan().SequenceEqual("$"u8))
            {
                plan.LastIdArguments.Add((streams + 1 + pairs + k, streams + 1 + k));
            }
        }

        if (!blocks)
        {
            return new BlockingPlan(arguments, info, timeout, false, s_nullArray, BlockingReplyShape.AsIs, keys, probeWithExists: false);
        }

        return plan;
    }

    /// <summary>The non-blocking command as RESP.</summary>
    public byte[] Serialize()
    {
        var writer = new PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, Arguments.Count);
        foreach (var argument in Arguments)
        {
            RespWriter.WriteBulk(writer, argument);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Redis's timeout in seconds (a float since Redis 6); 0 waits for ever.</summary>
    private static bool TryParseSeconds(ReadOnlySpan<byte> text, out TimeSpan? timeout, out string? error)
    {
        timeout = null;
        error = null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds))
        {
            error = "ERR timeout is not a float or out of range";
            return false;
        }

        if (seconds < 0)
        {
            error = "ERR timeout is negative";
            return false;
        }

        if (seconds * 1000 > long.MaxValue / 2 || double.IsInfinity(seconds))
        {
            error = "ERR timeout is out of range";
            return false;
        }

        // Redis counts in milliseconds, rounded up.
        var ms = Math.Ceiling(seconds * 1000);
        timeout = seconds == 0 || ms > ForEverMs ? null : TimeSpan.FromMilliseconds(ms);
        return true;
    }

    private static CommandInfo Lookup(string name) => CommandTable.All[name];

    private static byte[] Ascii(int value) => System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static bool Is(ReadOnlySpan<byte> argument, ReadOnlySpan<byte> keyword) => System.Text.Ascii.EqualsIgnoreCase(argument, keyword);
}

/// <summary>How the non-blocking command's reply becomes the blocking command's.</summary>
internal enum BlockingReplyShape
{
    /// <summary>The same reply (LMPOP for BLMPOP, LMOVE for BLMOVE, XREAD for XREAD BLOCK).</summary>
    AsIs,

    /// <summary>LMPOP's <c>[key, [element]]</c> as BLPOP's <c>[key, element]</c>.</summary>
    KeyAndElement,

    /// <summary>ZMPOP's <c>[key, [[member, score]]]</c> as BZPOPMIN's <c>[key, member, score]</c>.</summary>
    KeyMemberScore,
}
