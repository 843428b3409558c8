using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// WAIT numreplicas timeout, with the meaning it can have here (docs/protocol.md, "WAIT"): the
/// number of copies, the first one included, that acknowledged the client's writes since its
/// previous WAIT. Every write already waits for every copy, so WAIT never has to wait for one:
/// it answers as soon as the client's earlier commands have completed, whatever the timeout.
/// </summary>
internal static class WaitCommand
{
    public const string WaitAofRefusal = "ERR WAITAOF is not supported by RedisRing: the proxy does not see the nodes' append-only files; every write is acknowledged by every copy before it completes, and WAIT says by how many";

    public static bool IsWaitAof(ReadOnlySpan<byte> name) => System.Text.Ascii.EqualsIgnoreCase(name, "WAITAOF"u8);

    public static void Execute(ProxyRequest request, RequestFrame frame, WriteAcknowledgements acks)
    {
        if (!IsInteger(frame[1], out _))
        {
            request.CompleteWithError("ERR value is not an integer or out of range");
            return;
        }

        if (!IsInteger(frame[2], out var timeout))
        {
            request.CompleteWithError("ERR timeout is not an integer or out of range");
            return;
        }

        if (timeout < 0)
        {
            request.CompleteWithError("ERR timeout is negative");
            return;
        }

        // Answered in reply order, once the writes sent before it in the same pipeline completed.
        request.WhenReached = static reached =>
        {
            RespWriter.WriteInteger(reached.LocalReply, reached.Acks?.TakeForWait() ?? 0);
            reached.CompleteLocal();
        };
    }

    private static bool IsInteger(ReadOnlySpan<byte> text, out long value) =>
        System.Buffers.Text.Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
}
