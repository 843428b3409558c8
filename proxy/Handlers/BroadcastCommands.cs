using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>Commands sent to every node (SCRIPT LOAD/FLUSH/EXISTS, FUNCTION LOAD, admin commands when enabled).</summary>
internal static class BroadcastCommands
{
    /// <summary>
    /// Sends a command to every node at once; SCRIPT EXISTS answers are combined (a script exists
    /// only if it exists everywhere). A node that is not connected or does not answer misses the
    /// command: when the command changes data (FLUSHALL, FUNCTION LOAD ...), it is marked for a
    /// full repair; a missed SCRIPT LOAD needs none (the proxy runs the body there on NOSCRIPT).
    /// A node that answers an error did not miss anything: the client gets an error naming every
    /// node that refused, and no node is marked.
    /// </summary>
    public static async Task BroadcastAsync(ProxyRequest request, RoutingTable table, string name, byte[][] arguments)
    {
        var changesData = name is not ("SCRIPT|LOAD" or "SCRIPT|EXISTS" or "SCRIPT|FLUSH" or "SCRIPT|KILL" or "FUNCTION|KILL" or "CONFIG|SET" or "CONFIG|RESETSTAT" or "CONFIG|REWRITE" or "SAVE" or "BGSAVE" or "BGREWRITEAOF");
        var command = Resp.RespWriter.CommandBytes(arguments);
        var calls = new List<(Backends.BackendNode Node, Task<byte[]?> Reply)>();
        foreach (var node in table.Backends)
        {
            if (name.StartsWith("FLUSH", StringComparison.Ordinal))
            {
                // A warm-up cannot re-copy "every key": its generation starts again.
                node.WarmUp.MarkOverflowed();
            }

            calls.Add((node, node.IsConnected ? node.ExecuteAsync(command, mayRunLong: true) : Task.FromResult<byte[]?>(null)));
        }

        var replies = new List<byte[]>();
        var refused = new List<string>();
        foreach (var (node, call) in calls)
        {
            var reply = await call;
            if (reply is null)
            {
                if (changesData)
                {
                    // The node misses this command: it cannot be replayed key by key.
                    node.Hints.MarkOverflowed();
                }

                continue;
            }

            if (RespReply.IsError(reply))
            {
                refused.Add($"{node.Name}: {RespReply.GetErrorMessage(reply)}");
                continue;
            }

            replies.Add(reply);
        }

        if (refused.Count > 0)
        {
            throw new AllNodesException($"ERR {name.Replace('|', ' ')} failed on {refused.Count} of {calls.Count} nodes: {string.Join("; ", refused)}");
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
