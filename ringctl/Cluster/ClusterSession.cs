using RedisRing.Membership;
using RedisRing.Ringctl.Cli;
using RedisRing.ZooKeeper;

namespace RedisRing.Ringctl.Cluster;

/// <summary>
/// An authenticated ZooKeeper session on one cluster, opened so that each way it can go wrong has
/// its own message and exit code: no session within the connect timeout (ZooKeeper unreachable),
/// no cluster root (unknown cluster, with the clusters that do exist), the credential refused
/// (the digest ACLs let nobody else read a cluster's config).
/// </summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    private ClusterSession(ZooKeeperClient client, Target target, RingConfig config)
    {
        Client = client;
        Target = target;
        Config = config;
    }

    public ZooKeeperClient Client { get; }

    public Target Target { get; }

    public ClusterLayout Layout => Target.Layout;

    public RingConfig Config { get; }

    /// <summary>Opens a session on an existing cluster and reads its config.</summary>
    public static async Task<ClusterSession> OpenAsync(Target target, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(target, cancellationToken);
        try
        {
            var config = await ReadConfigAsync(client, target, cancellationToken);
            return new ClusterSession(client, target, config);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A session authenticated with the target's credential, without looking at the cluster (create-cluster).</summary>
    public static async Task<ZooKeeperClient> ConnectAsync(Target target, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(target.ConnectTimeout);
        ZooKeeperClient client;
        try
        {
            client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
            {
                ConnectString = target.ZooKeeper,
                SessionTimeout = TimeSpan.FromSeconds(10),
            }, deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is OperationCanceledException or ConnectionLossException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            throw new RingctlException(ExitCodes.ZooKeeperUnreachable,
                $"ZooKeeper {target.ZooKeeper} is unreachable: no session within {target.ConnectTimeout.TotalSeconds:0} s (--connect-timeout-s)");
        }
        catch (ArgumentException e)
        {
            throw GlobalOptions.Usage($"--zookeeper: {e.Message}");
        }

        try
        {
            await target.Credential.AuthenticateAsync(client, cancellationToken);
            return client;
        }
        catch (AuthFailedException)
        {
            await client.DisposeAsync();
            throw AuthFailed(target);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static RingctlException AuthFailed(Target target) =>
        new(ExitCodes.AuthFailed, $"ZooKeeper refused the credential of user '{target.Credential.User}' for cluster {target.Layout.Cluster}: wrong user or password (--zk-auth or {GlobalOptions.AuthEnvironment}), or one without the rights this command needs");

    private static async Task<RingConfig> ReadConfigAsync(ZooKeeperClient client, Target target, CancellationToken cancellationToken)
    {
        var layout = target.Layout;
        // exists is not subject to ACLs: it tells a missing cluster from a refused credential.
        if (await client.ExistsAsync(layout.Root, cancellationToken: cancellationToken) is null)
        {
            throw new RingctlException(ExitCodes.UnknownCluster,
                $"cluster {layout.Cluster} does not exist in ZooKeeper {target.ZooKeeper} (no {layout.Root}){await KnownClustersAsync(client, cancellationToken)}");
        }

        DataResult data;
        try
        {
            data = await client.GetDataAsync(layout.Config, cancellationToken: cancellationToken);
        }
        catch (NoAuthException)
        {
            throw AuthFailed(target);
        }
        catch (NoNodeException)
        {
            throw new RingctlException(ExitCodes.UnknownCluster, $"cluster {layout.Cluster} does not exist in ZooKeeper (no {layout.Config})");
        }

        return RingConfig.TryParse(data.Data, out var config, out var error)
            ? config
            : throw new RingctlException(ExitCodes.UnknownCluster, $"{layout.Config} is not a RedisRing config: {error}");
    }

    private static async Task<string> KnownClustersAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        try
        {
            var names = (await client.GetChildrenAsync(ClusterLayout.RootPath, cancellationToken: cancellationToken)).Children;
            return names.Count == 0 ? "; there is no cluster there" : $"; clusters there: {string.Join(", ", names.Order(StringComparer.Ordinal).Take(20))}";
        }
        catch (ZooKeeperException)
        {
            return string.Empty;
        }
    }

    /// <summary>The valid member records, by address.</summary>
    public async Task<MembershipView> ReadMembersAsync(CancellationToken cancellationToken)
    {
        var children = await Guard(() => Client.GetChildrenAsync(Layout.Nodes, cancellationToken: cancellationToken));
        var data = new List<(string Name, byte[] Data)>();
        foreach (var child in children.Children)
        {
            try
            {
                data.Add((child, (await Guard(() => Client.GetDataAsync(Layout.Nodes + "/" + child, cancellationToken: cancellationToken))).Data));
            }
            catch (NoNodeException)
            {
                // Removed while we read: not a member any more.
            }
        }

        return MembershipView.From(data);
    }

    /// <summary>The liveness records, by address (a znode that does not parse is left out).</summary>
    public async Task<Dictionary<string, LivenessRecord>> ReadLivenessAsync(CancellationToken cancellationToken)
    {
        var live = new Dictionary<string, LivenessRecord>(StringComparer.Ordinal);
        foreach (var child in (await Guard(() => Client.GetChildrenAsync(Layout.Live, cancellationToken: cancellationToken))).Children)
        {
            try
            {
                var data = await Guard(() => Client.GetDataAsync(Layout.Live + "/" + child, cancellationToken: cancellationToken));
                if (LivenessRecord.TryParse(child, data.Data, out var record, out _))
                {
                    live[child] = record;
                }
            }
            catch (NoNodeException)
            {
            }
        }

        return live;
    }

    /// <summary>The proxies announced under <c>proxies/</c> (host:port), sorted.</summary>
    public async Task<List<string>> ReadProxiesAsync(CancellationToken cancellationToken) =>
        [.. (await Guard(() => Client.GetChildrenAsync(Layout.Proxies, cancellationToken: cancellationToken))).Children.Order(StringComparer.Ordinal)];

    public Task<List<RepairJob>> ReadRepairJobsAsync(CancellationToken cancellationToken) =>
        Guard(() => RepairJobStore.ReadAllAsync(Client, Layout, cancellationToken));

    /// <summary>Runs a ZooKeeper call, turning a refused credential into the auth failure.</summary>
    public async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (NoAuthException)
        {
            throw AuthFailed(Target);
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
