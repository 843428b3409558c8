using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar promote --zookeeper ... --cluster ... --zk-auth ... --node host:port</c>:
/// the operator's statement that a joining node has caught up, so proxies may read from it.
/// </summary>
internal static class PromoteCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var args = new Arguments(argv, Environment.GetEnvironmentVariable);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--node");
        var common = CommonOptions.From(args);
        var node = CommonOptions.Address("--node", args.Required("--node"));
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        await using var client = await ZooKeeperConnection.ConnectAsync(common.ZooKeeper, TimeSpan.FromSeconds(10), common.ClusterCredential, loggerFactory, logger, stop);
        try
        {
            await ClusterAdmin.PromoteAsync(client, common.Layout, node, stop);
        }
        catch (MemberChangeException e)
        {
            await Console.Error.WriteLineAsync("redisring-registrar: " + e.Message);
            return 1;
        }

        await Console.Out.WriteLineAsync($"{node} is up");
        await ProxyList.ReportAsync(client, common.Layout, stop);
        return 0;
    }
}
