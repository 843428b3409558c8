using System.CommandLine;
using RedisRing.Membership;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Cluster;
using RedisRing.Ringctl.Progress;
using RedisRing.ZooKeeper;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// The operator's member changes, all through membership/'s <see cref="ClusterAdmin"/> (conditional
/// on the znode version, so a concurrent change is never overwritten): <c>promote</c> (a joining
/// node serves reads), <c>drain</c> (a planned removal after its keys are copied, followed live
/// with <c>--follow</c>), <c>remove</c> (delete a member at once), <c>add</c> (wait for a new
/// node's registrar to register it and follow its warm-up). A refused change exits 6.
/// </summary>
internal static class MemberCommands
{
    public static Command Promote(CommandFactory factory)
    {
        var node = NodeArguments.Required("the joining node, host:port");
        return factory.Create("promote", "mark a joining node up: proxies read from it from then on", async (context, cancellationToken) =>
        {
            var address = NodeArguments.Parse("--node", context.Value(node));
            await using var session = await context.OpenAsync(cancellationToken);
            var promoted = await Change(session, () => ClusterAdmin.PromoteAsync(session.Client, session.Layout, address, cancellationToken));
            return await DoneAsync(context, session, address, promoted, $"{address} is up", cancellationToken);
        }, node);
    }

    public static Command Remove(CommandFactory factory)
    {
        var node = NodeArguments.Required("the member to delete, host:port (stop its registrar first)");
        return factory.Create("remove", "delete a member at once: its keys get new owners (for a node that is gone; drain a live one)", async (context, cancellationToken) =>
        {
            var address = NodeArguments.Parse("--node", context.Value(node));
            await using var session = await context.OpenAsync(cancellationToken);
            var removed = await Change(session, () => ClusterAdmin.RemoveAsync(session.Client, session.Layout, address, cancellationToken));
            return await DoneAsync(context, session, address, removed, $"{address} removed (it was {removed.State.ToJson()})", cancellationToken);
        }, node);
    }

    public static Command Drain(CommandFactory factory)
    {
        var node = NodeArguments.Required("the member to drain, host:port");
        var follow = new Option<bool>("--follow") { Description = "wait until it is drained and removed, with live progress" };
        var timeout = NodeArguments.TimeoutSeconds(3600);
        return factory.Create("drain", "planned removal: the member goes leaving, its keys are copied to their future owners, then it is removed", async (context, cancellationToken) =>
        {
            var address = NodeArguments.Parse("--node", context.Value(node));
            await using var session = await context.OpenAsync(cancellationToken);
            var leaving = await Change(session, () => ClusterAdmin.DrainAsync(session.Client, session.Layout, address, cancellationToken));
            context.Output.Line($"{address} is leaving: the repairer copies its keys to their future owners, then removes it");
            if (!context.Value(follow))
            {
                return await DoneAsync(context, session, address, leaving, null, cancellationToken);
            }

            await ProxyReport.WriteAsync(session, context.Output, cancellationToken);
            var path = session.Layout.Node(address);
            await RepairFollower.FollowAsync(session, context.Output, j => j.Node == address,
                async (_, token) => await session.Guard(() => session.Client.ExistsAsync(path, cancellationToken: token)) is null,
                TimeSpan.FromSeconds(context.Value(timeout)), $"{address} is still a member", cancellationToken);
            context.Output.Line($"{address} drained and removed");
            if (context.Output.IsJson)
            {
                context.Output.Json(new { node = address.ToString(), state = "removed", drained = true });
            }

            return ExitCodes.Ok;
        }, node, follow, timeout);
    }

    public static Command Add(CommandFactory factory)
    {
        var node = NodeArguments.Required("the new node, host:port (start its registrar: it registers the node as joining)");
        var follow = new Option<bool>("--follow") { Description = "wait until its warm-up is complete (up, or ready for promotion), with live progress" };
        var timeout = NodeArguments.TimeoutSeconds(3600);
        var registerTimeout = NodeArguments.Range(new Option<int>("--register-timeout-s")
        {
            Description = "how long to wait for the node's registrar to register it",
            DefaultValueFactory = _ => 60,
        }, 1, 3600);
        return factory.Create("add", "wait for a new node's registration, show the keyspace it takes, follow its warm-up", async (context, cancellationToken) =>
        {
            var address = NodeArguments.Parse("--node", context.Value(node));
            await using var session = await context.OpenAsync(cancellationToken);
            var member = await WaitForMemberAsync(session, address, TimeSpan.FromSeconds(context.Value(registerTimeout)), cancellationToken);
            context.Output.Line($"{address} is a member ({member.State.ToJson()}{(member.Reason.Length > 0 ? ": " + member.Reason : string.Empty)})");
            if (context.Value(follow) && member.State == NodeState.Joining)
            {
                await RepairFollower.FollowAsync(session, context.Output, j => j.Node == address,
                    async (jobs, token) =>
                    {
                        member = await ReadMemberAsync(session, address, token) ?? throw new RingctlException(ExitCodes.Refused, $"{address} was removed during its warm-up");
                        return member.State != NodeState.Joining || jobs.Any(j => j.Phase == RepairPhase.Ready);
                    },
                    TimeSpan.FromSeconds(context.Value(timeout)), $"{address}'s warm-up is not complete", cancellationToken);
                context.Output.Line(member.State == NodeState.Up
                    ? $"{address} is warmed up and serves reads"
                    : $"{address} is {member.State.ToJson()}: its warm-up is complete, promote it with ringctl promote --node {address}");
            }

            if (context.Output.IsJson)
            {
                context.Output.Json(new { node = address.ToString(), state = member.State.ToJson(), runId = member.RunId, reason = member.Reason });
            }

            return ExitCodes.Ok;
        }, node, follow, timeout, registerTimeout);
    }

    private static async Task<NodeRecord> WaitForMemberAsync(ClusterSession session, NodeAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await ReadMemberAsync(session, address, cancellationToken) is { RunId.Length: > 0 } member)
            {
                return member;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new RingctlException(ExitCodes.Timeout,
                    $"{address} did not register within {timeout.TotalSeconds:0} s: start its registrar (redisring-registrar run --redis {address} --zookeeper ... --cluster {session.Layout.Cluster})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static async Task<NodeRecord?> ReadMemberAsync(ClusterSession session, NodeAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var data = await session.Guard(() => session.Client.GetDataAsync(session.Layout.Node(address), cancellationToken: cancellationToken));
            return NodeRecord.TryParse(address.ToString(), data.Data, out var record, out _) ? record : null;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    private static async Task<NodeRecord> Change(ClusterSession session, Func<Task<NodeRecord>> change)
    {
        try
        {
            return await session.Guard(change);
        }
        catch (MemberChangeException e)
        {
            throw new RingctlException(ExitCodes.Refused, e.Message.TrimEnd('.'));
        }
    }

    private static async Task<int> DoneAsync(CommandContext context, ClusterSession session, NodeAddress address, NodeRecord record, string? line, CancellationToken cancellationToken)
    {
        if (line is not null)
        {
            context.Output.Line(line);
        }

        var proxies = await ProxyReport.WriteAsync(session, context.Output, cancellationToken);
        if (context.Output.IsJson)
        {
            context.Output.Json(new { node = address.ToString(), state = record.State.ToJson(), reason = record.Reason, proxies });
        }

        return ExitCodes.Ok;
    }
}
