using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.Ring;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar create-cluster --zookeeper ... --cluster ... --zk-auth ... --proxy-auth ...
/// [--replicas 2] [--hash-tag {}|none] [--down-grace-s 60] --node host:port ...</c>: the brand-new-cluster step.
/// </summary>
internal static class CreateClusterCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var args = new Arguments(argv, Environment.GetEnvironmentVariable);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--proxy-auth", "--replicas", "--hash-tag", "--down-grace-s", "--node");
        var common = CommonOptions.From(args);
        var proxy = CommonOptions.Credential(args, "--proxy-auth", "REDISRING_ZK_PROXY_AUTH");
        var hashTag = args.Optional("--hash-tag") ?? "{}";
        if (hashTag == "none")
        {
            hashTag = string.Empty;
        }
        else if (hashTag.Length != 2)
        {
            throw new ConfigurationException("--hash-tag must be two characters or none");
        }

        var config = new RingConfig(args.Integer("--replicas", 2, RingOptions.MinReplicas, RingOptions.MaxReplicas), hashTag,
            args.Integer("--down-grace-s", RingConfig.DefaultDownGraceSeconds, 0, RingConfig.MaxDownGraceSeconds));
        var nodes = args.All("--node").Select(n => CommonOptions.Address("--node", n)).ToList();
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        await using var client = await ZooKeeperConnection.ConnectAsync(common.ZooKeeper, TimeSpan.FromSeconds(10), common.ClusterCredential, loggerFactory, logger, stop);
        try
        {
            await ClusterAdmin.CreateClusterAsync(client, common.Layout, new ClusterAcls(common.ClusterCredential, proxy), config, nodes, stop);
        }
        catch (ClusterExistsException e)
        {
            await Console.Error.WriteLineAsync("redisring-registrar: " + e.Message);
            return 1;
        }

        await Console.Out.WriteLineAsync($"created {common.Layout.Root} with {nodes.Count} initial nodes");
        return 0;
    }
}
