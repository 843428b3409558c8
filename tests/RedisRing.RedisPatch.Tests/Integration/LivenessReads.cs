using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.ZooKeeper;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>A node's liveness znode (<c>live/&lt;host&gt;:&lt;port&gt;</c>) as the patched-server tests read it.</summary>
/// <param name="Record">Its data; it must parse as the registrar's format.</param>
/// <param name="Owner">The session that owns it.</param>
internal sealed record Liveness(LivenessRecord Record, long Owner);

/// <summary>
/// Reads of liveness znodes (<see cref="ClusterLayout.Liveness"/>), next to the member reads of
/// <see cref="PatchCluster"/>: with the cluster's operator client, or any client given (one made
/// after a ZooKeeper outage, when the operator's session may have expired).
/// </summary>
internal static class LivenessReads
{
    /// <summary>The node's liveness znode, or null when there is none.</summary>
    public static async Task<Liveness?> ReadLivenessAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address)
    {
        try
        {
            var (data, stat) = await client.GetDataAsync(layout.Liveness(address));
            Assert.True(LivenessRecord.TryParse(address.ToString(), data, out var record, out var error), error);
            return new Liveness(record, stat.EphemeralOwner);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>Polls the node's liveness znode until <paramref name="condition"/> holds; returns how long it took.</summary>
    public static async Task<TimeSpan> WaitForLivenessAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address,
        Func<Liveness?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        Liveness? last = null;
        while (watch.Elapsed < limit)
        {
            last = await ReadLivenessAsync(client, layout, address);
            if (condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{address}: {what} did not happen within {limit}; last seen: {(last is null ? "no liveness znode" : last.ToString())}");
    }

    /// <summary>The liveness znode of 127.0.0.1:<paramref name="port"/>, read with the operator client.</summary>
    public static Task<Liveness?> ReadLivenessAsync(this PatchCluster cluster, int port) =>
        ReadLivenessAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(port));

    /// <summary>Polls the liveness znode of 127.0.0.1:<paramref name="port"/> with the operator client.</summary>
    public static Task<TimeSpan> WaitForLivenessAsync(this PatchCluster cluster, int port, Func<Liveness?, bool> condition, string what, TimeSpan? timeout = null) =>
        WaitForLivenessAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(port), condition, what, timeout);

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> is live for <paramref name="runId"/>; returns the znode.</summary>
    public static async Task<Liveness> WaitForLiveAsync(this PatchCluster cluster, int port, string runId, string what)
    {
        await cluster.WaitForLivenessAsync(port, l => l?.Record.RunId == runId, what);
        return (await cluster.ReadLivenessAsync(port))!;
    }
}
