using System.Globalization;
using System.Text;
using RedisRing.Proxy.Backends;
using RedisRing.Resp;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Handlers;

/// <summary>The proxy's own calls to one node for commands that concern every node; failures become <see cref="AllNodesException"/>.</summary>
internal static class NodeCalls
{
    private const int ScanBatch = 1000;

    public static async Task<byte[]> ExecuteAsync(BackendNode node, params byte[][] arguments)
    {
        var reply = await node.ExecuteAsync(RespWriter.CommandBytes(arguments));
        if (reply is null)
        {
            throw new AllNodesException($"CLUSTERDOWN node {node.Name} did not answer");
        }

        if (RespReply.IsError(reply))
        {
            throw new AllNodesException(RespReply.GetErrorMessage(reply));
        }

        return reply;
    }

    /// <summary>Scans one node's whole keyspace, calling <paramref name="onKey"/> for the keys it owns.</summary>
    public static async Task ScanNodeAsync(RoutingTable table, int nodeIndex, byte[]? match, Action<ReadOnlyMemory<byte>> onKey)
    {
        var node = table.Backends[nodeIndex];
        var cursor = "0"u8.ToArray();
        var elements = new List<ReadOnlyMemory<byte>>();
        var keys = new List<ReadOnlyMemory<byte>>();
        do
        {
            var arguments = match is null
                ? new[] { "SCAN"u8.ToArray(), cursor, "COUNT"u8.ToArray(), Encoding.ASCII.GetBytes(ScanBatch.ToString(CultureInfo.InvariantCulture)) }
                : new[] { "SCAN"u8.ToArray(), cursor, "MATCH"u8.ToArray(), match, "COUNT"u8.ToArray(), Encoding.ASCII.GetBytes(ScanBatch.ToString(CultureInfo.InvariantCulture)) };
            var reply = await NodeCalls.ExecuteAsync(node, arguments);
            if (!RespReply.TrySplitArray(reply, elements) || elements.Count != 2 || !RespReply.TrySplitArray(elements[1], keys))
            {
                throw new AllNodesException("ERR unexpected SCAN reply from " + node.Name);
            }

            cursor = (RespReply.GetString(elements[0]) ?? "0"u8.ToArray()).ToArray();
            foreach (var element in keys)
            {
                if (RespReply.GetString(element) is { } key && table.IsFirstReadableCopy(nodeIndex, key.Span))
                {
                    onKey(key);
                }
            }
        }
        while (!cursor.AsSpan().SequenceEqual("0"u8));
    }
}
