using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar remove --zookeeper ... --cluster ... --zk-auth ... --node host:port</c>:
/// deletes a member, so its keys get new owners (an initial node that will never register, a
/// dead machine before its grace period ends). Stop the node's registrar first: a running one
/// registers the node again as joining.
/// </summary>
internal static class RemoveCommand
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
            var removed = await ClusterAdmin.RemoveAsync(client, common.Layout, node, stop);
            await Console.Out.WriteLineAsync($"{node} removed (it was {removed.State.ToJson()})");
        }
        catch (MemberChangeException e)
        {
            await Console.Error.WriteLineAsync("redisring-registrar: " + e.Message);
            return 1;
        }

        await ProxyList.ReportAsync(client, common.Layout, stop);
        return 0;
    }
}
