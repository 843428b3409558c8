using System.CommandLine;
using System.Globalization;
using RedisRing.Membership;
using RedisRing.Repair;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Nodes;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl check [--sample N] [--examples N]</c>: compares every key's copies (or N random keys')
/// across its owners in the cluster's current ring with repair/'s <see cref="CopyChecker"/> and
/// reports what is missing, differing or left on members that no longer own it. Read-only: safe
/// on a live cluster. Exit 0 when every key has equal copies on all its <c>up</c> owners and every
/// member was scanned, 1 when not. The registrar's <c>check</c> runs this command.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CommandFactory factory)
    {
        var sample = NodeArguments.Range(new Option<int>("--sample") { Description = "check this many random keys instead of all (0: all)" }, 0, 10_000_000);
        var examples = NodeArguments.Range(new Option<int>("--examples") { Description = "problem lines to print", DefaultValueFactory = _ => 20 }, 0, 10_000);
        return factory.Create("check", "compare the copies of all (or --sample N) keys and report divergence",
            (context, cancellationToken) => RunAsync(context, context.Parse.GetValue(sample), context.Parse.GetValue(examples), cancellationToken), sample, examples);
    }

    private static async Task<int> RunAsync(CommandContext context, int sample, int examples, CancellationToken cancellationToken)
    {
        var output = context.Output;
        MembershipView members;
        RingConfig config;
        var password = context.Target.RedisPassword;
        await using (var session = await context.OpenAsync(cancellationToken))
        {
            members = await session.ReadMembersAsync(cancellationToken);
            config = session.Config;
        }

        foreach (var (znode, reason) in members.Rejected)
        {
            output.Warning($"member znode {znode} ignored: {reason}");
        }

        var checker = new CopyChecker(members.Nodes, config, address => NodeConnections.ConnectAsync(address, password)) { ExampleLimit = examples, SampleSize = sample };
        var report = await checker.RunAsync(cancellationToken);
        var code = report.Healthy ? ExitCodes.Ok : ExitCodes.Divergence;
        if (output.IsJson)
        {
            output.Json(new
            {
                cluster = context.Target.Layout.Cluster,
                members = members.Nodes.Count,
                up = members.Nodes.Count(n => n.State == NodeState.Up),
                replicas = config.Replicas,
                sampled = sample > 0 ? sample : (int?)null,
                keys = report.Keys,
                missingOnUp = report.MissingOnUp,
                missingOnJoining = report.MissingOnJoining,
                differing = report.Differing,
                noOwnerCopy = report.NoOwnerCopy,
                notOwned = report.NotOwned,
                unreachable = report.Unreachable.Select(u => new { node = u.Node.ToString(), error = u.Error }),
                examples = report.Examples,
                healthy = report.Healthy,
            });
            return code;
        }

        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"cluster {context.Target.Layout.Cluster}: {members.Nodes.Count} members ({members.Nodes.Count(n => n.State == NodeState.Up)} up), {config.Replicas} copies per key"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"keys{(sample > 0 ? " sampled" : string.Empty)}: {report.Keys}; missing on up owners: {report.MissingOnUp}; missing on joining owners: {report.MissingOnJoining}; differing: {report.Differing}; no owner copy: {report.NoOwnerCopy}; copies not owned: {report.NotOwned}"));
        foreach (var (node, error) in report.Unreachable)
        {
            output.Line($"unreachable: {node}: {error}");
        }

        foreach (var line in report.Examples)
        {
            output.Line("  " + line);
        }

        output.Line(report.Healthy
            ? sample > 0 ? "OK: every sampled key has equal copies on all its up owners" : "OK: every key has equal copies on all its up owners"
            : "NOT OK: copies are missing or differ");
        return code;
    }
}
