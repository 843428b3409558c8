using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>
/// The ACL of every znode of a cluster: the cluster credential (registrars, operators) may do
/// anything; the proxy credential may read, and may only add and remove itself under
/// <c>proxies/</c>. Nobody else may read or write, so a client without the cluster credential
/// cannot put a node in the ring (docs/zookeeper.md, "ACLs").
/// </summary>
public sealed class ClusterAcls(DigestCredential cluster, DigestCredential proxy)
{
    /// <summary>Cluster root, <c>config</c>, <c>nodes/</c>, and each node znode.</summary>
    public IReadOnlyList<Acl> ClusterOwned { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read)];

    /// <summary><c>proxies/</c>: proxies may create and delete their own znodes there.</summary>
    public IReadOnlyList<Acl> ProxiesFolder { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read | Permissions.Create | Permissions.Delete)];

    /// <summary>A proxy's own znode.</summary>
    public IReadOnlyList<Acl> ProxyOwned { get; } = [proxy.Acl(Permissions.All), cluster.Acl(Permissions.All)];

    /// <summary><c>bootstrap/</c> and its markers: cluster credential only.</summary>
    public IReadOnlyList<Acl> ClusterOnly { get; } = [cluster.Acl(Permissions.All)];
}
