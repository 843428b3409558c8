using System.Globalization;
using System.Text;
using RedisRing.Proxy.Backends;
using RedisRing.Resp;

namespace RedisRing.Proxy.Repair;

/// <summary>One SCAN page of a node over the proxy's own connection (warm-up copies and anti-entropy walk nodes this way).</summary>
internal static class NodeScan
{
    public const int PageSize = 256;

    /// <summary>The next cursor ("0" when the walk is over) and the keys of the page; null when the node did not answer.</summary>
    public static async Task<(string Cursor, List<byte[]> Keys)?> PageAsync(BackendNode node, string cursor)
    {
        var reply = await node.ExecuteAsync(RespWriter.Command("SCAN", cursor, "COUNT", PageSize.ToString(CultureInfo.InvariantCulture)));
        var parts = new List<ReadOnlyMemory<byte>>(2);
        if (reply is null || RespReply.IsError(reply) || !RespReply.TrySplitArray(reply, parts) || parts.Count != 2 || RespReply.GetString(parts[0]) is not { } next)
        {
            return null;
        }

        var elements = new List<ReadOnlyMemory<byte>>();
        if (!RespReply.TrySplitArray(parts[1], elements))
        {
            return null;
        }

        return (Encoding.ASCII.GetString(next.Span), [.. elements.Select(e => RespReply.GetString(e)?.ToArray()).OfType<byte[]>()]);
    }
}
