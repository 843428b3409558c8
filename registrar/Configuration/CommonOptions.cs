using RedisRing.Membership;

namespace RedisRing.Registrar.Configuration;

/// <summary>What every command needs: where ZooKeeper is, which cluster, and the cluster credential.</summary>
internal sealed record CommonOptions(string ZooKeeper, ClusterLayout Layout, DigestCredential ClusterCredential)
{
    public const string ZooKeeperOption = "--zookeeper";
    public const string ClusterOption = "--cluster";
    public const string AuthOption = "--zk-auth";
    public const string AuthEnvironment = "REDISRING_ZK_AUTH";

    public static CommonOptions From(Arguments args)
    {
        var cluster = args.Required(ClusterOption);
        if (!ClusterLayout.IsValidClusterName(cluster))
        {
            throw new ConfigurationException($"{ClusterOption} must be 1-64 letters, digits, '-', '_', '.'");
        }

        return new CommonOptions(args.Required(ZooKeeperOption), new ClusterLayout(cluster), Credential(args, AuthOption, AuthEnvironment));
    }

    public static DigestCredential Credential(Arguments args, string option, string environment)
    {
        try
        {
            return DigestCredential.Parse(args.Required(option, environment));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ConfigurationException($"{option} (or {environment}) must be user:password");
        }
    }

    public static NodeAddress Address(string option, string text) =>
        NodeAddress.TryParse(text, out var address, out var error) ? address : throw new ConfigurationException($"{option}: {error}");
}
