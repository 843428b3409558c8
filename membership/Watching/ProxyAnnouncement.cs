using System.Text;
using Microsoft.Extensions.Logging;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Membership.Watching;

/// <summary>
/// Keeps a proxy's ephemeral znode <c>proxies/&lt;host&gt;:&lt;port&gt;</c> (re-created after a session
/// expiry), with the ACL of <c>proxies/</c> plus Write, so it needs only the proxy credential.
/// Data: <c>{"version":1,"address":"host:port"}</c>.
/// </summary>
public static class ProxyAnnouncement
{
    public static async Task<EphemeralRegistration> StartAsync(ZooKeeperClient client, ClusterLayout layout, NodeAddress address,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(address);
        // The folder's ACL plus Write: a registration that finds its own znode from an earlier
        // attempt of this session rewrites its data rather than failing with NoAuth forever.
        var acl = (await client.GetAclAsync(layout.Proxies, cancellationToken)).Acl.Select(a => a with { Permissions = a.Permissions | Permissions.Write }).ToList();
        var data = Encoding.UTF8.GetBytes($$"""{"version":1,"address":"{{address}}"}""");
        return await EphemeralRegistration.StartAsync(client, layout.Proxy(address.ToString()), data, acl, loggerFactory, cancellationToken);
    }
}
