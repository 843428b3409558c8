using System.Collections.Concurrent;
using System.Globalization;
using RedisRing.Proxy.Backends;
using RedisRing.Resp;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// Each node's keys and memory for /api/ring and the dashboard's node cards: INFO memory and
/// keyspace asked of the node, at most once per <see cref="MaxAge"/> and node however often the
/// page polls, each call bounded by <see cref="Timeout"/> (a down node's figures are the last known).
/// </summary>
internal sealed class NodeInfoReader(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    private static readonly byte[] s_command = RespWriter.CommandBytes("INFO"u8.ToArray(), "memory"u8.ToArray(), "keyspace"u8.ToArray());

    private readonly ConcurrentDictionary<BackendNode, NodeFigures> _figures = new();

    /// <param name="Keys">Keys in db0 (every copy this node holds), null when never read.</param>
    /// <param name="UsedMemory">Redis's used_memory in bytes, null when never read.</param>
    public sealed record NodeFigures(long? Keys, long? UsedMemory, DateTimeOffset ReadAt);

    public async Task<NodeFigures> ReadAsync(BackendNode node)
    {
        var now = time.GetUtcNow();
        if (_figures.TryGetValue(node, out var known) && now - known.ReadAt < MaxAge)
        {
            return known;
        }

        var reply = node.State == BackendState.Down ? null : await node.ExecuteAsync(s_command, Timeout);
        var figures = reply is null || RespReply.IsError(reply)
            ? (known ?? new NodeFigures(null, null, now)) with { ReadAt = now }
            : Parse(RespReply.GetText(reply), now);
        _figures[node] = figures;
        return figures;
    }

    /// <summary>Forgets nodes that left the ring.</summary>
    public void Keep(IEnumerable<BackendNode> nodes)
    {
        var keep = nodes.ToHashSet();
        foreach (var node in _figures.Keys.Where(n => !keep.Contains(n)))
        {
            _figures.TryRemove(node, out _);
        }
    }

    private static NodeFigures Parse(string info, DateTimeOffset now)
    {
        long keys = 0;
        long? memory = null;
        foreach (var line in info.Split("\r\n"))
        {
            if (line.StartsWith("used_memory:", StringComparison.Ordinal) && long.TryParse(line.AsSpan("used_memory:".Length), CultureInfo.InvariantCulture, out var bytes))
            {
                memory = bytes;
            }
            else if (line.StartsWith("db0:keys=", StringComparison.Ordinal))
            {
                var end = line.IndexOf(',', StringComparison.Ordinal);
                keys = long.TryParse(line.AsSpan(9, (end < 0 ? line.Length : end) - 9), CultureInfo.InvariantCulture, out var count) ? count : 0;
            }
        }

        return new NodeFigures(keys, memory, now);
    }
}
