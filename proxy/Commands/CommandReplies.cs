using System.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Commands;

/// <summary>The proxy's answers to COMMAND, COMMAND COUNT/INFO/LIST/DOCS/GETKEYS, from its own table.</summary>
internal static class CommandReplies
{
    public static void Write(IBufferWriter<byte> reply, string name, RequestFrame frame)
    {
        switch (name)
        {
            case "COMMAND":
                RespWriter.WriteArrayHeader(reply, CommandTable.TopLevel.Count);
                foreach (var info in CommandTable.TopLevel)
                {
                    WriteInfo(reply, info);
                }

                break;
            case "COMMAND|COUNT":
                RespWriter.WriteInteger(reply, CommandTable.TopLevel.Count);
                break;
            case "COMMAND|LIST":
                RespWriter.WriteArrayHeader(reply, CommandTable.TopLevel.Count);
                foreach (var info in CommandTable.TopLevel)
                {
                    RespWriter.WriteBulk(reply, info.Name.ToLowerInvariant());
                }

                break;
            case "COMMAND|INFO":
                RespWriter.WriteArrayHeader(reply, frame.Count - 2);
                for (var i = 2; i < frame.Count; i++)
                {
                    var info = CommandLookup.Find(frame[i]);
                    if (info is null)
                    {
                        RespWriter.WriteNullArray(reply);
                    }
                    else
                    {
                        WriteInfo(reply, info);
                    }
                }

                break;
            case "COMMAND|DOCS":
                // Documentation is optional for clients (redis-cli uses it for hints only).
                RespWriter.WriteArrayHeader(reply, 0);
                break;
            case "COMMAND|GETKEYS":
                WriteGetKeys(reply, frame);
                break;
            default:
                RespWriter.WriteError(reply, "ERR unknown subcommand for 'command'");
                break;
        }
    }

    private static void WriteGetKeys(IBufferWriter<byte> reply, RequestFrame frame)
    {
        var info = frame.Count > 2 ? CommandLookup.Find(frame[2]) : null;
        if (info is null)
        {
            RespWriter.WriteError(reply, "ERR Invalid command specified");
            return;
        }

        // Build a frame holding just the inner command, then find its keys as routing would.
        var writer = new Buffers.PooledBufferWriter();
        RespWriter.WriteArrayHeader(writer, frame.Count - 2);
        for (var i = 2; i < frame.Count; i++)
        {
            RespWriter.WriteBulk(writer, frame[i]);
        }

        var innerFrame = new RequestFrame();
        RequestReader.TryRead(new ReadOnlySequence<byte>(writer.WrittenMemory), innerFrame, RespLimits.Default, out _);
        var keys = new List<int>();
        var error = KeyFinding.FindKeys(info, innerFrame, keys);
        if (error is not null)
        {
            RespWriter.WriteError(reply, error);
            return;
        }

        RespWriter.WriteArrayHeader(reply, keys.Count);
        foreach (var index in keys)
        {
            RespWriter.WriteBulk(reply, innerFrame[index]);
        }

    }

    private static void WriteInfo(IBufferWriter<byte> reply, CommandInfo info)
    {
        RespWriter.WriteArrayHeader(reply, 10);
        RespWriter.WriteBulk(reply, info.Name.ToLowerInvariant());
        RespWriter.WriteInteger(reply, info.Arity);
        var flags = info.Spec.Flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        RespWriter.WriteArrayHeader(reply, flags.Length);
        foreach (var flag in flags)
        {
            RespWriter.WriteSimpleString(reply, flag);
        }

        RespWriter.WriteInteger(reply, info.FirstKey);
        RespWriter.WriteInteger(reply, info.LastKey);
        RespWriter.WriteInteger(reply, info.Step);
        var categories = info.Spec.Categories.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        RespWriter.WriteArrayHeader(reply, categories.Length);
        foreach (var category in categories)
        {
            RespWriter.WriteSimpleString(reply, "@" + category);
        }

        RespWriter.WriteArrayHeader(reply, 0);
        RespWriter.WriteArrayHeader(reply, 0);
        RespWriter.WriteArrayHeader(reply, 0);
    }
}
