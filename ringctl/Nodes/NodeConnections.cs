using RedisRing.Membership;
using StackExchange.Redis;

namespace RedisRing.Ringctl.Nodes;

/// <summary>Connections to the cluster's redis-servers for reading (INFO, digests, SCAN), bounded in time.</summary>
internal static class NodeConnections
{
    public static async Task<IConnectionMultiplexer> ConnectAsync(NodeAddress address, string? password)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { address.Host, address.Port } },
            Password = password,
            AbortOnConnectFail = true,
            // INFO and DBSIZE are "admin" commands to StackExchange.Redis; ringctl only reads.
            AllowAdmin = true,
            ConnectTimeout = 3000,
            ConnectRetry = 1,
            SyncTimeout = 10_000,
            AsyncTimeout = 10_000,
            ClientName = "ringctl",
        };
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
