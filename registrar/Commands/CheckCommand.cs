using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.Repair;
using RedisRing.ZooKeeper;
using StackExchange.Redis;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar check --zookeeper ... --cluster ... --zk-auth ... [--redis-password P]</c>:
/// compares every key's copies across its owners in the cluster's current ring and prints what is
/// missing, differing or left on members that no longer own it (<see cref="CopyChecker"/>).
/// Exit 0 when every key has equal copies on all its <c>up</c> owners, 1 when not, 2 on bad
/// options or when ZooKeeper cannot be read. Read-only: safe to run against a live cluster.
/// </summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var args = new Arguments(argv, Environment.GetEnvironmentVariable);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--redis-password", "--examples");
        var common = CommonOptions.From(args);
        var password = args.Optional("--redis-password", "REDISRING_REDIS_PASSWORD");
        var examples = args.Integer("--examples", 20, 0, 10_000);
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        await using var client = await ZooKeeperConnection.ConnectAsync(common.ZooKeeper, TimeSpan.FromSeconds(10), common.ClusterCredential, loggerFactory, logger, stop);

        var (members, config) = await ReadClusterAsync(client, common.Layout, stop);
        foreach (var (znode, reason) in members.Rejected)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: member znode {znode} ignored: {reason}");
        }

        var checker = new CopyChecker(members.Nodes, config, address => ConnectAsync(address, password)) { ExampleLimit = examples };
        var report = await checker.RunAsync(stop);

        var output = Console.Out;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cluster {common.Layout.Cluster}: {members.Nodes.Count} members ({members.Nodes.Count(n => n.State == NodeState.Up)} up), {config.Replicas} copies per key"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"keys: {report.Keys}; missing on up owners: {report.MissingOnUp}; missing on joining owners: {report.MissingOnJoining}; differing: {report.Differing}; no owner copy: {report.NoOwnerCopy}; copies not owned: {report.NotOwned}"));
        foreach (var (node, error) in report.Unreachable)
        {
            await output.WriteLineAsync($"unreachable: {node}: {error}");
        }

        foreach (var line in report.Examples)
        {
            await output.WriteLineAsync("  " + line);
        }

        await output.WriteLineAsync(report.Healthy ? "OK: every key has equal copies on all its up owners" : "NOT OK: copies are missing or differ");
        return report.Healthy ? 0 : 1;
    }

    private static async Task<(MembershipView Members, RingConfig Config)> ReadClusterAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken stop)
    {
        DataResult configData;
        try
        {
            configData = await client.GetDataAsync(layout.Config, cancellationToken: stop);
        }
        catch (NoNodeException)
        {
            throw new ConfigurationException($"cluster {layout.Cluster} does not exist in ZooKeeper (no {layout.Config})");
        }

        if (!RingConfig.TryParse(configData.Data, out var config, out var error))
        {
            throw new ConfigurationException($"{layout.Config}: {error}");
        }

        var children = await client.GetChildrenAsync(layout.Nodes, cancellationToken: stop);
        var data = new List<(string Name, byte[] Data)>();
        foreach (var child in children.Children)
        {
            try
            {
                data.Add((child, (await client.GetDataAsync(layout.Nodes + "/" + child, cancellationToken: stop)).Data));
            }
            catch (NoNodeException)
            {
                // Removed while we read: not a member any more.
            }
        }

        return (MembershipView.From(data), config);
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(NodeAddress address, string? password)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { address.Host, address.Port } },
            Password = password,
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            SyncTimeout = 10_000,
            AsyncTimeout = 10_000,
            ClientName = "redisring-check",
        };
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
