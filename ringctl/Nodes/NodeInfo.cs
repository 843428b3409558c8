using System.Globalization;
using RedisRing.Membership;
using StackExchange.Redis;

namespace RedisRing.Ringctl.Nodes;

/// <summary>What one redis-server says about itself (INFO and DBSIZE), or why it could not be read.</summary>
internal sealed record NodeInfo(long? Keys, long? UsedMemoryBytes, long? OpsPerSecond, string RunId, string? Error)
{
    /// <summary>Reads every node at once, each bounded by its connect and command timeouts.</summary>
    public static async Task<Dictionary<string, NodeInfo>> ReadAllAsync(IEnumerable<NodeAddress> nodes, string? password)
    {
        var reads = nodes.Select(async n => (Name: n.ToString(), Info: await ReadAsync(n, password))).ToList();
        return (await Task.WhenAll(reads)).ToDictionary(r => r.Name, r => r.Info, StringComparer.Ordinal);
    }

    public static async Task<NodeInfo> ReadAsync(NodeAddress address, string? password)
    {
        try
        {
            await using var connection = await NodeConnections.ConnectAsync(address, password);
            var server = connection.GetServers()[0];
            var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var keys = await server.DatabaseSizeAsync();
            return new NodeInfo(keys, Number(info, "used_memory"), Number(info, "instantaneous_ops_per_sec"), info.GetValueOrDefault("run_id") ?? string.Empty, null);
        }
        catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException or IOException)
        {
            return new NodeInfo(null, null, null, string.Empty, e.Message.Split('\n')[0]);
        }
    }

    private static long? Number(Dictionary<string, string> info, string name) =>
        info.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
