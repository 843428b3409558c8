using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>
/// The operator's steps: creating a brand-new cluster (the only moment nodes may enter as
/// <c>up</c>), and promoting a <c>joining</c> node to <c>up</c>. The client must be
/// authenticated with the cluster credential.
/// </summary>
public static class ClusterAdmin
{
    /// <summary>
    /// Creates root, config, nodes/, proxies/ and one bootstrap marker per initial node in one
    /// transaction: either the whole cluster exists afterwards or nothing was written.
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
            Op.Create(layout.Nodes, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ClusterOwned),
            Op.Create(layout.Proxies, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ProxiesFolder),
            Op.Create(layout.Bootstrap, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ClusterOnly),
        };
        ops.AddRange(initialNodes.Distinct().Select(n => Op.Create(layout.BootstrapMarker(n), ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, acls.ClusterOnly)));
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
    /// Marks a <c>joining</c> node <c>up</c> (reads may go to it from then on). Conditional on the
    /// znode's version, so a concurrent change (the registrar re-registering) is never overwritten.
    /// </summary>
    public static async Task<NodeRecord> PromoteAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(address);
        var path = layout.Node(address);
        DataResult current;
        try
        {
            current = await client.GetDataAsync(path, cancellationToken: cancellationToken);
        }
        catch (NoNodeException)
        {
            throw new PromotionException($"{address} is not registered.");
        }

        if (!NodeRecord.TryParse(address.ToString(), current.Data, out var record, out var error))
        {
            throw new PromotionException($"{address} has bad data: {error}");
        }

        if (record.State != NodeState.Joining)
        {
            throw new PromotionException($"{address} is {record.State.ToJson()}, not joining.");
        }

        var promoted = record.With(NodeState.Up);
        try
        {
            await client.SetDataAsync(path, promoted.ToJson(), current.Stat.Version, cancellationToken);
        }
        catch (Exception e) when (e is BadVersionException or NoNodeException)
        {
            throw new PromotionException($"{address} changed while being promoted; check it and try again.");
        }

        return promoted;
    }
}
