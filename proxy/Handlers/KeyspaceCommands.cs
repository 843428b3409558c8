using System.Globalization;
using System.Text;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// DBSIZE, KEYS, SCAN and RANDOMKEY over the whole ring. A key lives on several nodes; it is
/// reported once, by the node that is its first readable copy (the node a read of it goes to).
/// </summary>
internal static class KeyspaceCommands
{
    /// <summary>
    /// DBSIZE from the nodes' own counts (O(1) on each node), not a walk of every key: the keys on
    /// the nodes that serve reads, divided by the number of copies a key has there. Exact while
    /// every copy is complete; an estimate while a node is down, a warm-up runs, or copies a node
    /// no longer owns wait to be trimmed (docs/protocol.md).
    /// </summary>
    public static async Task<long> CountKeysAsync(RoutingTable table)
    {
        long total = 0;
        var readable = 0;
        for (var i = 0; i < table.Backends.Count; i++)
        {
            if (!table.IsReadable(i))
            {
                continue;
            }

            var reply = await NodeCalls.ExecuteAsync(table.Backends[i], "DBSIZE"u8.ToArray());
            if (!RespReply.TryGetInteger(reply, out var count))
            {
                throw new AllNodesException("ERR unexpected DBSIZE reply from " + table.Backends[i].Name);
            }

            total += count;
            readable++;
        }

        var copies = Math.Min(table.Options.Replicas, readable);
        return copies == 0 ? 0 : (total + copies / 2) / copies;
    }

    public static async Task KeysAsync(ProxyRequest request, RoutingTable table, byte[] pattern)
    {
        var found = new List<byte[]>();
        var elements = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < table.Backends.Count; i++)
        {
            var node = table.Backends[i];
            if (!table.IsReadable(i))
            {
                continue;
            }

            var reply = await NodeCalls.ExecuteAsync(node, "KEYS"u8.ToArray(), pattern);
            if (!RespReply.TrySplitArray(reply, elements))
            {
                throw new AllNodesException("ERR unexpected KEYS reply from " + node.Name);
            }

            foreach (var element in elements)
            {
                if (RespReply.GetString(element) is { } key && table.IsFirstReadableCopy(i, key.Span))
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
    public static async Task ScanAsync(ProxyRequest request, RoutingTable table, byte[][] arguments)
    {
        if (!ulong.TryParse(Encoding.ASCII.GetString(arguments[1]), NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            throw new AllNodesException("ERR invalid cursor");
        }

        if (table.Backends.Count == 0)
        {
            // A ring from ZooKeeper before any node registered: nothing to scan.
            RespWriter.WriteArrayHeader(request.LocalReply, 2);
            RespWriter.WriteBulk(request.LocalReply, "0"u8);
            RespWriter.WriteArrayHeader(request.LocalReply, 0);
            return;
        }

        var nodeCount = (ulong)table.Backends.Count;
        var nodeIndex = (int)(cursor % nodeCount);
        var nodeCursor = cursor / nodeCount;
        var found = new List<byte[]>();
        var elements = new List<ReadOnlyMemory<byte>>();
        var keys = new List<ReadOnlyMemory<byte>>();
        ulong next = 0;
        while (nodeIndex < table.Backends.Count)
        {
            var node = table.Backends[nodeIndex];
            if (table.IsReadable(nodeIndex))
            {
                var forwarded = (byte[][])arguments.Clone();
                forwarded[1] = Encoding.ASCII.GetBytes(nodeCursor.ToString(CultureInfo.InvariantCulture));
                var reply = await NodeCalls.ExecuteAsync(node, forwarded);
                if (!RespReply.TrySplitArray(reply, elements) || elements.Count != 2 || !RespReply.TrySplitArray(elements[1], keys)
                    || !ulong.TryParse(RespReply.GetText(elements[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var nodeNext))
                {
                    throw new AllNodesException("ERR unexpected SCAN reply from " + node.Name);
                }

                foreach (var element in keys)
                {
                    if (RespReply.GetString(element) is { } key && table.IsFirstReadableCopy(nodeIndex, key.Span))
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
            next = nodeIndex < table.Backends.Count ? (ulong)nodeIndex : 0;
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

    public static async Task RandomKeyAsync(ProxyRequest request, RoutingTable table)
    {
        var order = Enumerable.Range(0, table.Backends.Count).Where(table.IsReadable).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var index in order)
        {
            var reply = await NodeCalls.ExecuteAsync(table.Backends[index], "RANDOMKEY"u8.ToArray());
            if (RespReply.GetString(reply) is { } key)
            {
                RespWriter.WriteBulk(request.LocalReply, key.Span);
                return;
            }
        }

        RespWriter.WriteNullBulk(request.LocalReply);
    }
}
