using System.CommandLine;
using RedisRing.Membership;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Keyspace;
using RedisRing.Ringctl.Output;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl ring [--add host:port[:weight]]... [--remove host:port]...</c>: each member's share of
/// the keyspace in the ring the proxies use now (primary: the reads it serves; copies: the keys it
/// holds a copy of), and with a planned change, the shares once the ring has settled after it and
/// what moves: the fraction of keys whose copies change, and per node the fraction it gains or
/// gives up. Shares are exact fractions of the hash space computed with ring/ (the proxies'
/// placement). Reads ZooKeeper only. Exit 0.
/// </summary>
internal static class RingCommand
{
    public static Command Create(CommandFactory factory)
    {
        var add = new Option<string[]>("--add") { Description = "a node to add in the plan, host:port or host:port:weight (repeatable)" };
        var remove = new Option<string[]>("--remove") { Description = "a member to remove in the plan, host:port (repeatable)" };
        return factory.Create("ring", "keyspace share per node, and what a planned --add/--remove would move",
            (context, cancellationToken) => RunAsync(context, context.Parse.GetValue(add) ?? [], context.Parse.GetValue(remove) ?? [], cancellationToken), add, remove);
    }

    private static async Task<int> RunAsync(CommandContext context, string[] addOptions, string[] removeOptions, CancellationToken cancellationToken)
    {
        var adds = addOptions.Select(ParseAdd).ToList();
        var removes = removeOptions.Select(r => NodeArguments.Parse("--remove", r)).ToList();
        await using var session = await context.OpenAsync(cancellationToken);
        var members = (await session.ReadMembersAsync(cancellationToken)).Nodes;
        foreach (var removed in removes.Where(r => members.All(m => m.Address != r)))
        {
            throw new RingctlException(ExitCodes.Refused, $"--remove {removed}: not a member");
        }

        foreach (var added in adds.Where(a => members.Any(m => m.Address == a.Address)))
        {
            throw new RingctlException(ExitCodes.Refused, $"--add {added.Address}: already a member");
        }

        var config = session.Config;
        var current = members.Count == 0 ? null : MemberRing.Create(members, config);
        var shares = current is null ? [] : KeyspaceShares.Of(current);
        var planned = adds.Count + removes.Count > 0;
        // The plan starts from the ring as it will be once current warm-ups and drains end.
        var settledBefore = members.Where(m => m.State.Stays()).Select(m => (m.Address, m.Weight)).ToList();
        var settledAfter = settledBefore.Where(n => !removes.Contains(n.Address)).Concat(adds).ToList();
        if (planned && settledAfter.Count == 0)
        {
            throw new RingctlException(ExitCodes.Refused, "the plan leaves no node in the ring");
        }

        var before = planned && settledBefore.Count > 0 ? MemberRing.Settled(settledBefore, config) : null;
        var after = planned ? MemberRing.Settled(settledAfter, config) : null;
        var afterShares = after is null ? [] : KeyspaceShares.Of(after);
        var change = before is not null && after is not null ? KeyspaceShares.Change(before, after) : ((double Moved, Dictionary<string, (double Gains, double Loses)> PerNode)?)null;

        var names = members.Select(m => m.Address.ToString()).Concat(adds.Select(a => a.Address.ToString())).ToList();
        var rows = names.Select(name =>
        {
            var index = members.ToList().FindIndex(m => m.Address.ToString() == name);
            var afterIndex = settledAfter.FindIndex(n => n.Address.ToString() == name);
            var moves = change?.PerNode.GetValueOrDefault(name);
            return new
            {
                node = name,
                state = index >= 0 ? members[index].State.ToJson() : "planned",
                weight = index >= 0 ? members[index].Weight : adds.First(a => a.Address.ToString() == name).Weight,
                primary = index >= 0 ? CommandOutput.Round(shares[index].Primary) : 0,
                copies = index >= 0 ? CommandOutput.Round(shares[index].Copies) : 0,
                plannedPrimary = planned ? CommandOutput.Round(afterIndex >= 0 ? afterShares[afterIndex].Primary : 0) : (double?)null,
                plannedCopies = planned ? CommandOutput.Round(afterIndex >= 0 ? afterShares[afterIndex].Copies : 0) : (double?)null,
                gains = planned ? CommandOutput.Round(moves?.Gains ?? (afterIndex >= 0 ? afterShares[afterIndex].Copies : 0)) : (double?)null,
                loses = planned ? CommandOutput.Round(moves?.Loses ?? 0) : (double?)null,
            };
        }).ToList();
        var moved = change?.Moved ?? (planned ? 1.0 : 0);

        var output = context.Output;
        if (output.IsJson)
        {
            output.Json(new
            {
                cluster = session.Layout.Cluster,
                replicas = config.Replicas,
                nodes = rows,
                plan = planned ? new { add = adds.Select(a => a.Address.ToString()), remove = removes.Select(r => r.ToString()), moved = CommandOutput.Round(moved) } : null,
            });
            return ExitCodes.Ok;
        }

        output.Line($"cluster {session.Layout.Cluster}: {members.Count} members, {config.Replicas} copies per key (shares of the keyspace: primary = reads served, copies = keys held)");
        var table = planned
            ? Tables.Create("node", "state", "weight", "primary", "copies", "planned primary", "planned copies", "gains", "gives up")
            : Tables.Create("node", "state", "weight", "primary", "copies");
        foreach (var row in rows)
        {
            var cells = new List<string> { row.node, row.state, row.weight.ToString(System.Globalization.CultureInfo.InvariantCulture), CommandOutput.Percent(row.primary), CommandOutput.Percent(row.copies) };
            if (planned)
            {
                cells.AddRange([CommandOutput.Percent(row.plannedPrimary!.Value), CommandOutput.Percent(row.plannedCopies!.Value), CommandOutput.Percent(row.gains!.Value), CommandOutput.Percent(row.loses!.Value)]);
            }

            Tables.Row(table, [.. cells]);
        }

        output.Table(table);
        if (planned)
        {
            output.Line($"the plan changes the copies of {CommandOutput.Percent(moved)} of the keyspace (gains: keys copied to the node; gives up: copies it no longer holds)");
        }

        return ExitCodes.Ok;
    }

    private static (NodeAddress Address, int Weight) ParseAdd(string text)
    {
        var parts = text.Split(':');
        var weight = 1;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out weight) || weight is < 1 or > NodeRecord.MaxWeight)
            {
                throw GlobalOptions.Usage($"--add {text}: weight must be an integer in 1..{NodeRecord.MaxWeight}");
            }

            text = parts[0] + ":" + parts[1];
        }

        return (NodeArguments.Parse("--add", text), weight);
    }
}
