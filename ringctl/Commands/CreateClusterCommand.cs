using System.CommandLine;
using RedisRing.Membership;
using RedisRing.Ring;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Cluster;
using RedisRing.ZooKeeper;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl create-cluster --proxy-auth USER:PASS [--replicas 2] [--hash-tag {}|none]
/// [--down-grace-s 60] --node host:port ...</c>: the brand-new-cluster step (membership/'s
/// <see cref="ClusterAdmin.CreateClusterAsync"/>, one transaction). Exit 6 when it exists.
/// </summary>
internal static class CreateClusterCommand
{
    public const string ProxyAuthEnvironment = "REDISRING_ZK_PROXY_AUTH";

    public static Command Create(CommandFactory factory)
    {
        var proxyAuth = new Option<string?>("--proxy-auth") { Description = $"the proxies' credential user:password (better: {ProxyAuthEnvironment})" };
        var replicas = NodeArguments.Range(new Option<int>("--replicas") { Description = "copies of each key", DefaultValueFactory = _ => 2 }, RingOptions.MinReplicas, RingOptions.MaxReplicas);
        var hashTag = new Option<string>("--hash-tag") { Description = "two characters, or none", DefaultValueFactory = _ => "{}" };
        var downGrace = NodeArguments.Range(new Option<int>("--down-grace-s")
        {
            Description = "seconds without liveness before a member is drained (0: never)",
            DefaultValueFactory = _ => RingConfig.DefaultDownGraceSeconds,
        }, 0, RingConfig.MaxDownGraceSeconds);
        var nodes = new Option<string[]>("--node") { Description = "an initial node, host:port (repeatable)" };
        return factory.Create("create-cluster", "create a brand-new cluster in ZooKeeper with its initial nodes", async (context, cancellationToken) =>
        {
            var proxy = GlobalOptions.Credential(context.Parse.GetValue(proxyAuth) ?? GlobalOptions.Env(context.Environment, ProxyAuthEnvironment), "--proxy-auth", ProxyAuthEnvironment);
            var tag = context.Value(hashTag);
            if (tag == "none")
            {
                tag = string.Empty;
            }
            else if (tag.Length != 2)
            {
                throw GlobalOptions.Usage("--hash-tag must be two characters or none");
            }

            var initial = (context.Parse.GetValue(nodes) ?? []).Select(n => NodeArguments.Parse("--node", n)).ToList();
            var config = new RingConfig(context.Value(replicas), tag, context.Value(downGrace));
            var target = context.Target;
            await using var client = await ClusterSession.ConnectAsync(target, cancellationToken);
            try
            {
                await ClusterAdmin.CreateClusterAsync(client, target.Layout, new ClusterAcls(target.Credential, proxy), config, initial, cancellationToken);
            }
            catch (ClusterExistsException e)
            {
                throw new RingctlException(ExitCodes.Refused, e.Message);
            }
            catch (NoAuthException)
            {
                throw ClusterSession.AuthFailed(target);
            }

            context.Output.Line($"created {target.Layout.Root} with {initial.Count} initial nodes");
            if (context.Output.IsJson)
            {
                context.Output.Json(new { cluster = target.Layout.Cluster, root = target.Layout.Root, replicas = config.Replicas, hashTag = config.HashTag, downGraceSeconds = config.DownGraceSeconds, nodes = initial.Select(n => n.ToString()) });
            }

            return ExitCodes.Ok;
        }, proxyAuth, replicas, hashTag, downGrace, nodes);
    }
}
