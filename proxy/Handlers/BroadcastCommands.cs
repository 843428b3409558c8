using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>Commands sent to every node (SCRIPT LOAD/FLUSH/EXISTS, FUNCTION LOAD, admin commands when enabled).</summary>
internal static class BroadcastCommands
{
    /// <summary>Sends a command to every node; SCRIPT EXISTS answers are combined (a script exists only if it exists everywhere).</summary>
    public static async Task BroadcastAsync(ProxyRequest request, RoutingTable table, string name, byte[][] arguments)
    {
        var replies = new List<byte[]>();
        foreach (var node in table.Backends)
        {
            if (name.StartsWith("FLUSH", StringComparison.Ordinal))
            {
                // A warm-up cannot re-copy "every key": its generation starts again.
                node.WarmUp.MarkOverflowed();
            }

            if (!node.IsConnected)
            {
                // The node misses this command: it cannot be replayed key by key.
                node.Hints.MarkOverflowed();
                continue;
            }

            replies.Add(await NodeCalls.ExecuteAsync(node, arguments));
        }

        if (replies.Count == 0)
        {
            throw new AllNodesException("CLUSTERDOWN no node is reachable");
        }

        if (name == "SCRIPT|EXISTS")
        {
            var combined = new bool[arguments.Length - 2];
            Array.Fill(combined, true);
            var elements = new List<ReadOnlyMemory<byte>>();
            foreach (var reply in replies)
            {
                if (!RespReply.TrySplitArray(reply, elements) || elements.Count != combined.Length)
                {
                    throw new AllNodesException("ERR unexpected SCRIPT EXISTS reply");
                }

                for (var i = 0; i < combined.Length; i++)
                {
                    combined[i] &= RespReply.TryGetInteger(elements[i].Span, out var value) && value == 1;
                }
            }

            RespWriter.WriteArrayHeader(request.LocalReply, combined.Length);
            foreach (var exists in combined)
            {
                RespWriter.WriteInteger(request.LocalReply, exists ? 1 : 0);
            }

            return;
        }

        request.LocalReply.Write(new System.Buffers.ReadOnlySequence<byte>(replies[0]));
    }
}
