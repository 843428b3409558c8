using RedisRing.Membership;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The checks that involve more than one setting, made once every source is read: each setting's
/// own rule is already checked by its <see cref="ProxyOptionTable"/> entry.
/// </summary>
internal static class ProxyOptionsValidator
{
    public static void Validate(ProxyOptions options)
    {
        if (options.ZooKeeper is { } zookeeper)
        {
            ValidateZooKeeper(options, zookeeper);
        }
        else if (options.Nodes.Count == 0)
        {
            throw new ConfigurationException("no backend nodes: give --node HOST:PORT (repeatable) or \"nodes\" in the config file");
        }

        var duplicate = options.Nodes.GroupBy(n => n.RingName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ConfigurationException($"node '{duplicate.Key}' is listed twice");
        }

        if (options.Password is not null && options.Users.Any(u => u.Name == Acl.AclUsers.DefaultName))
        {
            throw new ConfigurationException("give the default user's password either with --password or in a --user \"default ...\" entry, not both");
        }

        if (options.Limits.MaxBulkLength > options.Limits.MaxRequestLength)
        {
            throw new ConfigurationException("maxBulkLength cannot exceed maxRequestLength");
        }

        ValidateTls(options);
        if (options.Admin.Listen is { } admin && !System.Net.IPAddress.IsLoopback(admin.Address) && !options.Admin.AllowRemote)
        {
            throw new ConfigurationException($"--admin-listen {admin} is not a loopback address: the admin port has no authentication; give --admin-allow-remote yes to serve it there anyway");
        }
    }

    private static void ValidateTls(ProxyOptions options)
    {
        var tls = options.Tls;
        if (options.Listen.Port == 0 && tls.Port == 0)
        {
            throw new ConfigurationException("listen port 0 turns the plain listener off: give --tls-port for a TLS one, or a listen port");
        }

        if (tls.Port != 0 && tls.Port == options.Listen.Port)
        {
            throw new ConfigurationException($"--tls-port {tls.Port} is also the listen port: for TLS only on that port, give --listen HOST:0 --tls-port {tls.Port}");
        }

        if (tls.Port != 0 && (tls.CertFile is null || tls.KeyFile is null))
        {
            throw new ConfigurationException("--tls-port needs --tls-cert-file and --tls-key-file");
        }

        if (tls.Port != 0 && tls.AuthClients != TlsAuthClients.No && tls.CaCertFile is null)
        {
            throw new ConfigurationException("--tls-auth-clients yes or optional (yes is the default, as in Redis) needs --tls-ca-cert-file to verify client certificates; or give --tls-auth-clients no");
        }

        if (tls.Nodes && tls.CaCertFile is null)
        {
            throw new ConfigurationException("--node-tls yes needs --tls-ca-cert-file to verify the nodes' certificates");
        }

        if ((tls.ClientCertFile is null) != (tls.ClientKeyFile is null))
        {
            throw new ConfigurationException("give --tls-client-cert-file and --tls-client-key-file together");
        }
    }

    private static void ValidateZooKeeper(ProxyOptions options, ZooKeeperOptions zookeeper)
    {
        if (zookeeper.ConnectString.Length == 0)
        {
            throw new ConfigurationException("--cluster, --zk-auth and the other ZooKeeper settings need --zookeeper HOST:PORT[,HOST:PORT...]");
        }

        if (options.Nodes.Count > 0)
        {
            throw new ConfigurationException("give either --node (a static node list) or --zookeeper (nodes from ZooKeeper), not both");
        }

        if (zookeeper.Cluster.Length == 0)
        {
            throw new ConfigurationException("--zookeeper needs --cluster NAME");
        }

        if (!ClusterLayout.IsValidClusterName(zookeeper.Cluster))
        {
            throw new ConfigurationException($"bad cluster name '{zookeeper.Cluster}': 1-64 characters among letters, digits, '-', '_', '.'");
        }

        if (zookeeper.Credential.Length == 0)
        {
            throw new ConfigurationException("--zookeeper needs the cluster's proxy credential: --zk-auth USER:PASS or env REDISRING_ZK_PROXY_AUTH");
        }

        if (zookeeper.Credential.IndexOf(':', StringComparison.Ordinal) <= 0)
        {
            // The value is a secret: say what is wrong without echoing it.
            throw new ConfigurationException("the ZooKeeper credential must be USER:PASS");
        }

        if (zookeeper.Announce is { } announce && !NodeAddress.TryParse(announce, out _, out var error))
        {
            throw new ConfigurationException($"bad --announce address: {error}");
        }
    }
}
