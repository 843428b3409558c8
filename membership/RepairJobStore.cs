using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>Reads the warm-up jobs under <c>repair/jobs/</c> (the proxies, the registrar's repair-status and the tests read them alike).</summary>
public static class RepairJobStore
{
    /// <summary>Every job that parses, by node address; empty when the folder does not exist (a cluster made by an earlier version).</summary>
    public static async Task<List<RepairJob>> ReadAllAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        var jobs = new List<RepairJob>();
        IReadOnlyList<string> children;
        try
        {
            children = (await client.GetChildrenAsync(layout.RepairJobs, cancellationToken: cancellationToken)).Children;
        }
        catch (NoNodeException)
        {
            return jobs;
        }

        foreach (var child in children.Order(StringComparer.Ordinal))
        {
            try
            {
                var data = await client.GetDataAsync(layout.RepairJobs + "/" + child, cancellationToken: cancellationToken);
                if (RepairJob.TryParse(child, data.Data, out var job, out _))
                {
                    jobs.Add(job);
                }
            }
            catch (NoNodeException)
            {
                // Deleted between the listing and the read: the member left.
            }
        }

        return jobs;
    }
}
