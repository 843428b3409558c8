using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar drain --zookeeper ... --cluster ... --zk-auth ... --node host:port [--follow] [--timeout-s N]</c>:
/// the operator's planned removal. The member goes <c>leaving</c>; the proxies' repairer copies
/// its keys to their future owners and then deletes it (docs/consistency.md, "Drain"), and the
/// node's registrar, seeing its leaving member gone, stops registering and exits. With
/// <c>--follow</c> it waits for the removal, printing the drain's progress. Exit 0 when marked
/// (or, with --follow, removed), 1 when the node cannot be drained or the timeout ran out.
/// </summary>
internal static class DrainCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var args = new Arguments(argv, Environment.GetEnvironmentVariable);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--node", "--follow", "--timeout-s");
        var common = CommonOptions.From(args);
        var node = CommonOptions.Address("--node", args.Required("--node"));
        var follow = args.Flag("--follow");
        var timeout = TimeSpan.FromSeconds(args.Integer("--timeout-s", 3600, 1, 7 * 24 * 3600));
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        await using var client = await ZooKeeperConnection.ConnectAsync(common.ZooKeeper, TimeSpan.FromSeconds(10), common.ClusterCredential, loggerFactory, logger, stop);
        var path = common.Layout.Node(node);
        try
        {
            var read = await client.GetDataAsync(path, cancellationToken: stop);
            if (!NodeRecord.TryParse(node.ToString(), read.Data, out var member, out var error))
            {
                await Console.Error.WriteLineAsync($"redisring-registrar: {node} has bad data: {error}");
                return 1;
            }

            if (member.State != NodeState.Leaving)
            {
                await client.SetDataAsync(path, member.With(NodeState.Leaving, member.RunId, MemberStep.DrainedByOperator).ToJson(), read.Stat.Version, stop);
            }
        }
        catch (NoNodeException)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: {node} is not a member");
            return 1;
        }
        catch (BadVersionException)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: {node} changed meanwhile; check it and try again");
            return 1;
        }

        await Console.Out.WriteLineAsync($"{node} is leaving: the repairer copies its keys to their future owners, then removes it");
        await ProxyList.ReportAsync(client, common.Layout, stop);
        if (!follow)
        {
            return 0;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var lastLine = DateTime.MinValue;
        while (await client.ExistsAsync(path, cancellationToken: stop) is not null)
        {
            if (waited.Elapsed > timeout)
            {
                await Console.Error.WriteLineAsync($"redisring-registrar: {node} still a member after {timeout.TotalSeconds:0} s");
                return 1;
            }

            if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(2))
            {
                lastLine = DateTime.UtcNow;
                var job = (await RepairJobStore.ReadAllAsync(client, common.Layout, stop)).FirstOrDefault(j => j.Node == node);
                await Console.Out.WriteLineAsync(job is null ? "waiting for the repairer" : $"{RepairJob.ToJson(job.Phase)}: {job.Copied} copies made; {job.Note}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
        }

        await Console.Out.WriteLineAsync($"{node} drained and removed");
        return 0;
    }
}
