using System.Globalization;
using System.Text;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Server;

internal sealed partial class ClientSession
{
    private const int ScanBatch = 1000;

    /// <summary>
    /// DBSIZE, SCAN, KEYS, RANDOMKEY, SCRIPT LOAD/EXISTS, FUNCTION LOAD: these concern every node.
    /// A key lives on several nodes; it is reported once, by the node that is its first readable
    /// copy (the node a read of that key would go to).
    /// </summary>
    private void DispatchAllNodes(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        var arguments = new byte[frame.Count][];
        for (var i = 0; i < frame.Count; i++)
        {
            arguments[i] = frame[i].ToArray();
        }

        _ = RunAllNodesAsync(request, info.Name, arguments, Ring);
    }

    private async Task RunAllNodesAsync(ProxyRequest request, string name, byte[][] arguments, RingState ring)
    {
        try
        {
            switch (name)
            {
                case "DBSIZE":
                    RespWriter.WriteInteger(request.LocalReply, await CountKeysAsync(ring));
                    break;
                case "KEYS":
                    await KeysAsync(request, ring, arguments[1]);
                    break;
                case "SCAN":
                    await ScanAsync(request, ring, arguments);
                    break;
                case "RANDOMKEY":
                    await RandomKeyAsync(request, ring);
                    break;
                default:
                    await BroadcastAsync(request, ring, name, arguments);
                    break;
            }

            request.CompleteLocal();
        }
        catch (AllNodesException e)
        {
            request.CompleteWithError(e.Message);
        }
    }

    private static bool OwnsKey(RingState ring, int nodeIndex, ReadOnlySpan<byte> key)
    {
        foreach (var copy in ring.Ring.Locate(key).Nodes)
        {
            if (ring.Nodes[copy].IsReadable)
            {
                return copy == nodeIndex;
            }
        }

        return false;
    }

    private static async Task<byte[]> ExecuteAsync(BackendNode node, params byte[][] arguments)
    {
        var reply = await node.ExecuteAsync(BackendNode.CommandBytes(arguments));
        if (reply is null)
        {
            throw new AllNodesException($"CLUSTERDOWN node {node.Name} did not answer");
        }

        if (ReplyParser.IsError(reply))
        {
            throw new AllNodesException(ReplyParser.GetErrorMessage(reply));
        }

        return reply;
    }

    /// <summary>Scans one node's whole keyspace, calling <paramref name="onKey"/> for the keys it owns.</summary>
    private static async Task ScanNodeAsync(RingState ring, int nodeIndex, byte[]? match, Action<ReadOnlyMemory<byte>> onKey)
    {
        var node = ring.Nodes[nodeIndex];
        var cursor = "0"u8.ToArray();
        var elements = new List<ReadOnlyMemory<byte>>();
        var keys = new List<ReadOnlyMemory<byte>>();
        do
        {
            var arguments = match is null
                ? new[] { "SCAN"u8.ToArray(), cursor, "COUNT"u8.ToArray(), Encoding.ASCII.GetBytes(ScanBatch.ToString(CultureInfo.InvariantCulture)) }
                : new[] { "SCAN"u8.ToArray(), cursor, "MATCH"u8.ToArray(), match, "COUNT"u8.ToArray(), Encoding.ASCII.GetBytes(ScanBatch.ToString(CultureInfo.InvariantCulture)) };
            var reply = await ExecuteAsync(node, arguments);
            if (!ReplyParser.TrySplitArray(reply, elements) || elements.Count != 2 || !ReplyParser.TrySplitArray(elements[1], keys))
            {
                throw new AllNodesException("ERR unexpected SCAN reply from " + node.Name);
            }

            cursor = (ReplyParser.GetString(elements[0]) ?? "0"u8.ToArray()).ToArray();
            foreach (var element in keys)
            {
                if (ReplyParser.GetString(element) is { } key && OwnsKey(ring, nodeIndex, key.Span))
                {
                    onKey(key);
                }
            }
        }
        while (!cursor.AsSpan().SequenceEqual("0"u8));
    }

    private static async Task<long> CountKeysAsync(RingState ring)
    {
        long count = 0;
        for (var i = 0; i < ring.Nodes.Count; i++)
        {
            if (ring.IsReadable(i))
            {
                await ScanNodeAsync(ring, i, null, _ => count++);
            }
        }

        return count;
    }

    private static async Task KeysAsync(ProxyRequest request, RingState ring, byte[] pattern)
    {
        var found = new List<byte[]>();
        var elements = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < ring.Nodes.Count; i++)
        {
            var node = ring.Nodes[i];
            if (!ring.IsReadable(i))
            {
                continue;
            }

            var reply = await ExecuteAsync(node, "KEYS"u8.ToArray(), pattern);
            if (!ReplyParser.TrySplitArray(reply, elements))
            {
                throw new AllNodesException("ERR unexpected KEYS reply from " + node.Name);
            }

            foreach (var element in elements)
            {
                if (ReplyParser.GetString(element) is { } key && OwnsKey(ring, i, key.Span))
                {
                    found.Add(key.ToArray());
                }
            }
        }

        RespWriter.WriteArrayHeader(request.LocalReply, found.Count);
        foreach (var key in found)
        {
            RespWriter.WriteBulk(request.LocalReply, key);
        }
    }

    /// <summary>
    /// SCAN walks the nodes one after another. The cursor encodes both the node's own cursor and
    /// the node's index: cursor = nodeCursor * nodeCount + nodeIndex, so 0 starts and ends a walk.
    /// </summary>
    private static async Task ScanAsync(ProxyRequest request, RingState ring, byte[][] arguments)
    {
        if (!ulong.TryParse(Encoding.ASCII.GetString(arguments[1]), NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            throw new AllNodesException("ERR invalid cursor");
        }

        if (ring.Nodes.Count == 0)
        {
            // A ring from ZooKeeper before any node registered: nothing to scan.
            RespWriter.WriteArrayHeader(request.LocalReply, 2);
            RespWriter.WriteBulk(request.LocalReply, "0"u8);
            RespWriter.WriteArrayHeader(request.LocalReply, 0);
            return;
        }

        var nodeCount = (ulong)ring.Nodes.Count;
        var nodeIndex = (int)(cursor % nodeCount);
        var nodeCursor = cursor / nodeCount;
        var found = new List<byte[]>();
        var elements = new List<ReadOnlyMemory<byte>>();
        var keys = new List<ReadOnlyMemory<byte>>();
        ulong next = 0;
        while (nodeIndex < ring.Nodes.Count)
        {
            var node = ring.Nodes[nodeIndex];
            if (ring.IsReadable(nodeIndex))
            {
                var forwarded = (byte[][])arguments.Clone();
                forwarded[1] = Encoding.ASCII.GetBytes(nodeCursor.ToString(CultureInfo.InvariantCulture));
                var reply = await ExecuteAsync(node, forwarded);
                if (!ReplyParser.TrySplitArray(reply, elements) || elements.Count != 2 || !ReplyParser.TrySplitArray(elements[1], keys)
                    || !ulong.TryParse(ReplyParser.GetText(elements[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var nodeNext))
                {
                    throw new AllNodesException("ERR unexpected SCAN reply from " + node.Name);
                }

                foreach (var element in keys)
                {
                    if (ReplyParser.GetString(element) is { } key && OwnsKey(ring, nodeIndex, key.Span))
                    {
                        found.Add(key.ToArray());
                    }
                }

                if (nodeNext != 0)
                {
                    if (nodeNext > (ulong.MaxValue - nodeCount) / nodeCount)
                    {
                        throw new AllNodesException("ERR node cursor too large to combine");
                    }

                    next = (nodeNext * nodeCount) + (ulong)nodeIndex;
                    break;
                }
            }

            nodeIndex++;
            nodeCursor = 0;
            next = nodeIndex < ring.Nodes.Count ? (ulong)nodeIndex : 0;
            if (found.Count > 0)
            {
                // Return what this node gave before moving on, like one SCAN step.
                break;
            }
        }

        var reply2 = request.LocalReply;
        RespWriter.WriteArrayHeader(reply2, 2);
        RespWriter.WriteBulk(reply2, next.ToString(CultureInfo.InvariantCulture));
        RespWriter.WriteArrayHeader(reply2, found.Count);
        foreach (var key in found)
        {
            RespWriter.WriteBulk(reply2, key);
        }
    }

    private static async Task RandomKeyAsync(ProxyRequest request, RingState ring)
    {
        var order = Enumerable.Range(0, ring.Nodes.Count).Where(ring.IsReadable).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var index in order)
        {
            var reply = await ExecuteAsync(ring.Nodes[index], "RANDOMKEY"u8.ToArray());
            if (ReplyParser.GetString(reply) is { } key)
            {
                RespWriter.WriteBulk(request.LocalReply, key.Span);
                return;
            }
        }

        RespWriter.WriteNullBulk(request.LocalReply);
    }

    /// <summary>Sends a command to every node; SCRIPT EXISTS answers are combined (a script exists only if it exists everywhere).</summary>
    private static async Task BroadcastAsync(ProxyRequest request, RingState ring, string name, byte[][] arguments)
    {
        var replies = new List<byte[]>();
        foreach (var node in ring.Nodes)
        {
            if (!node.IsConnected)
            {
                // The node misses this command: it cannot be replayed key by key.
                node.Hints.MarkOverflowed();
                continue;
            }

            replies.Add(await ExecuteAsync(node, arguments));
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
                if (!ReplyParser.TrySplitArray(reply, elements) || elements.Count != combined.Length)
                {
                    throw new AllNodesException("ERR unexpected SCRIPT EXISTS reply");
                }

                for (var i = 0; i < combined.Length; i++)
                {
                    combined[i] &= ReplyParser.TryGetInteger(elements[i].Span, out var value) && value == 1;
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

    private void DispatchAdmin(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        if (!_context.Options.AllowAdminCommands.Contains(info.Name))
        {
            request.CompleteWithError(info.Refusal!);
            return;
        }

        LogAdminCommand(_logger, Id, info.Name);
        if (info.Name == "SHUTDOWN")
        {
            // SHUTDOWN stops the proxy, never the nodes behind it.
            request.CloseAfterReply = true;
            RespWriter.WriteSimpleString(request.LocalReply, "OK");
            request.CompleteLocal();
            _context.Shutdown.Cancel();
            return;
        }

        DispatchAllNodes(request, frame, info);
    }

    private sealed class AllNodesException(string message) : Exception(message);
}
