using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>
/// The operator's steps: creating a brand-new cluster (the only moment members are created
/// <c>up</c>), promoting a <c>joining</c> node to <c>up</c>, draining and removing a member. The client must
/// be authenticated with the cluster credential.
/// </summary>
public static class ClusterAdmin
{
    /// <summary>
    /// Creates root, config, nodes/, live/, proxies/ and one member per initial node (<c>up</c>,
    /// empty run_id: it awaits its first registration) in one transaction: either the whole
    /// cluster exists afterwards or nothing was written.
    /// </summary>
    public static async Task CreateClusterAsync(ZooKeeperClient client, ClusterLayout layout, ClusterAcls acls, RingConfig config,
        IReadOnlyCollection<NodeAddress> initialNodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(acls);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(initialNodes);
        try
        {
            // Shared by every cluster; only empty folders can be deleted, so an open ACL lets
            // anyone create a cluster's root but never remove or change a live one.
            await client.CreateAsync(ClusterLayout.RootPath, cancellationToken: cancellationToken);
        }
        catch (NodeExistsException)
        {
        }

        var ops = new List<Op>
        {
            Op.Create(layout.Root, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ClusterOwned),
            Op.Create(layout.Config, config.ToJson(), CreateMode.Persistent, acls.ClusterOwned),
            Op.Create(layout.Nodes, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.MembersFolder),
            Op.Create(layout.Live, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ClusterOwned),
            Op.Create(layout.Proxies, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ProxiesFolder),
        };
        ops.AddRange(RepairFolders(layout).Select(path => Op.Create(path, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.RepairOwned)));
        ops.AddRange(initialNodes.Distinct().Select(n =>
            Op.Create(layout.Node(n), new NodeRecord(n, 1, NodeState.Up, RunId: string.Empty, "initial node").ToJson(), CreateMode.Persistent, acls.Member)));
        try
        {
            await client.MultiAsync(ops, cancellationToken);
        }
        catch (MultiOperationException e) when (e.FailedIndex == 0 && e.Code == ErrorCode.NodeExists)
        {
            throw new ClusterExistsException(layout.Root);
        }
    }

    /// <summary>
    /// Creates <c>repair/</c> and its folders when a cluster made by an earlier version lacks
    /// them (the registrar calls it at start, it holds the cluster credential); the ACL is taken
    /// from <c>proxies/</c>'s cluster and proxy entries.
    /// </summary>
    public static async Task EnsureRepairFoldersAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        if (await client.ExistsAsync(layout.RepairAcks, cancellationToken: cancellationToken) is not null)
        {
            return;
        }

        // proxies/ gives the cluster credential every right and the proxy credential some: the
        // repair folders give both every right.
        var acl = (await client.GetAclAsync(layout.Proxies, cancellationToken)).Acl.Select(a => a with { Permissions = Permissions.All }).ToList();
        foreach (var path in RepairFolders(layout))
        {
            try
            {
                await client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acl, cancellationToken: cancellationToken);
            }
            catch (NodeExistsException)
            {
            }
        }
    }

    private static string[] RepairFolders(ClusterLayout layout) => [layout.Repair, layout.RepairLeader, layout.RepairJobs, layout.RepairAcks];

    /// <summary>
    /// Marks a <c>joining</c> node <c>up</c> (reads may go to it from then on). Conditional on the
    /// znode's version, so a concurrent change (the registrar re-registering) is never overwritten.
    /// </summary>
    public static async Task<NodeRecord> PromoteAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address, CancellationToken cancellationToken = default)
    {
        var (path, current) = await ReadMemberAsync(client, layout, address, $"{address} is not registered.", cancellationToken);
        if (!NodeRecord.TryParse(address.ToString(), current.Data, out var record, out var error))
        {
            throw new MemberChangeException($"{address} has bad data: {error}");
        }

        if (record.State != NodeState.Joining)
        {
            throw new MemberChangeException($"{address} is {record.State.ToJson()}, not joining.");
        }

        LivenessRecord? live = null;
        try
        {
            var liveness = await client.GetDataAsync(layout.Liveness(address), cancellationToken: cancellationToken);
            LivenessRecord.TryParse(address.ToString(), liveness.Data, out live, out _);
        }
        catch (NoNodeException)
        {
        }

        if (live is null || live.RunId != record.RunId)
        {
            throw new MemberChangeException(live is null
                ? $"{address} is not live (no healthy Redis registered for it); promote it once its registrar shows it live."
                : $"{address} is live with run_id {live.RunId}, not the member's {record.RunId}: its Redis restarted; check it and try again.");
        }

        var promoted = record.With(NodeState.Up, record.RunId, "promoted by an operator");
        try
        {
            await client.SetDataAsync(path, promoted.ToJson(), current.Stat.Version, cancellationToken);
        }
        catch (Exception e) when (e is BadVersionException or NoNodeException)
        {
            throw new MemberChangeException($"{address} changed while being promoted; check it and try again.");
        }

        return promoted;
    }

    /// <summary>
    /// Deletes a member: its keys get new owners. Conditional on the version read, so a member
    /// that changed meanwhile is not removed blindly. A registrar still running for it creates it
    /// again as <c>joining</c>; stop the registrar first (or stop it with <c>--on-stop leave</c>).
    /// </summary>
    /// <returns>The record removed.</returns>
    public static async Task<NodeRecord> RemoveAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address, CancellationToken cancellationToken = default)
    {
        var (path, current) = await ReadMemberAsync(client, layout, address, $"{address} is not a member.", cancellationToken);
        NodeRecord.TryParse(address.ToString(), current.Data, out var record, out _);
        try
        {
            await client.DeleteAsync(path, current.Stat.Version, cancellationToken);
        }
        catch (Exception e) when (e is BadVersionException or NoNodeException)
        {
            throw new MemberChangeException($"{address} changed while being removed; check it and try again.");
        }

        return record ?? new NodeRecord(address, 1, NodeState.Leaving, string.Empty);
    }

    /// <summary>
    /// The operator's planned removal: marks a member <c>leaving</c> (for <see cref="MemberStep.DrainedByOperator"/>),
    /// so the proxies' repairer copies its keys to their future owners and then deletes it, and its
    /// registrar, seeing its drained member gone, exits. A member already leaving is left as it is.
    /// Conditional on the version read, like promotion.
    /// </summary>
    /// <returns>The member as it is now (leaving).</returns>
    public static async Task<NodeRecord> DrainAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address, CancellationToken cancellationToken = default)
    {
        var (path, current) = await ReadMemberAsync(client, layout, address, $"{address} is not a member.", cancellationToken);
        if (!NodeRecord.TryParse(address.ToString(), current.Data, out var record, out var error))
        {
            throw new MemberChangeException($"{address} has bad data: {error}");
        }

        if (record.State == NodeState.Leaving)
        {
            return record;
        }

        var leaving = record.With(NodeState.Leaving, record.RunId, MemberStep.DrainedByOperator);
        try
        {
            await client.SetDataAsync(path, leaving.ToJson(), current.Stat.Version, cancellationToken);
        }
        catch (Exception e) when (e is BadVersionException or NoNodeException)
        {
            throw new MemberChangeException($"{address} changed meanwhile; check it and try again.");
        }

        return leaving;
    }

    /// <summary>The member znode's path and data; <paramref name="missing"/> is the error when there is none.</summary>
    private static async Task<(string Path, DataResult Current)> ReadMemberAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address, string missing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(address);
        var path = layout.Node(address);
        try
        {
            return (path, await client.GetDataAsync(path, cancellationToken: cancellationToken));
        }
        catch (NoNodeException)
        {
            throw new MemberChangeException(missing);
        }
    }
}
