using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>
/// The ACL of every znode of a cluster (docs/zookeeper.md, "ACLs"): the cluster credential
/// (registrars, operators) may do anything. The proxy credential may read everything, add and
/// remove itself under <c>proxies/</c>, delete a member (removal after the down grace period)
/// and rewrite a member's data (recording that it needs repair), but never create a member, so
/// nothing without the cluster credential can put a node in the ring. Nobody else may read or
/// write.
/// </summary>
public sealed class ClusterAcls(DigestCredential cluster, DigestCredential proxy)
{
    /// <summary>Cluster root, <c>config</c>, <c>live/</c> and each liveness znode.</summary>
    public IReadOnlyList<Acl> ClusterOwned { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read)];

    /// <summary><c>nodes/</c>: proxies may delete members (never create them).</summary>
    public IReadOnlyList<Acl> MembersFolder { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read | Permissions.Delete)];

    /// <summary>Each member znode: proxies may rewrite its data (a node that needs repair becomes <c>joining</c>).</summary>
    public IReadOnlyList<Acl> Member { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read | Permissions.Write)];

    /// <summary><c>proxies/</c>: proxies may create and delete their own znodes there.</summary>
    public IReadOnlyList<Acl> ProxiesFolder { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.Read | Permissions.Create | Permissions.Delete)];

    /// <summary><c>repair/</c> and everything below it: the repairer is a proxy, so proxies may do anything there.</summary>
    public IReadOnlyList<Acl> RepairOwned { get; } = [cluster.Acl(Permissions.All), proxy.Acl(Permissions.All)];

    /// <summary>A proxy's own znode.</summary>
    public IReadOnlyList<Acl> ProxyOwned { get; } = [proxy.Acl(Permissions.All), cluster.Acl(Permissions.All)];

    /// <summary>
    /// The ACL of a member znode derived from the ACL of <c>nodes/</c> (what a registrar or the
    /// patched Redis can read without knowing the proxy credential): entries with every
    /// permission keep it, every other entry (the proxy credential's) gets read and write.
    /// </summary>
    public static IReadOnlyList<Acl> MemberAclFrom(IReadOnlyList<Acl> membersFolderAcl)
    {
        ArgumentNullException.ThrowIfNull(membersFolderAcl);
        return [.. membersFolderAcl.Select(a => a.Permissions == Permissions.All ? a : a with { Permissions = Permissions.Read | Permissions.Write })];
    }
}
