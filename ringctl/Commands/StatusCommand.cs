using System.CommandLine;
using System.Globalization;
using RedisRing.Membership;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Nodes;
using RedisRing.Ringctl.Output;
using RedisRing.Ringctl.Progress;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl status</c>: every member with its membership state, liveness, warm-up or drain,
/// and what its redis-server says (keys, memory, ops/s from INFO), then the proxies announced
/// under <c>proxies/</c>. Exit 0 whatever the nodes' health (it reports; <c>check</c> judges).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CommandFactory factory) =>
        factory.Create("status", "nodes (membership, liveness, warm-ups and drains, keys, memory, ops/s) and the proxies connected", RunAsync);

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var session = await context.OpenAsync(cancellationToken);
        var members = await session.ReadMembersAsync(cancellationToken);
        var live = await session.ReadLivenessAsync(cancellationToken);
        var jobs = (await session.ReadRepairJobsAsync(cancellationToken)).ToDictionary(j => j.Node.ToString(), StringComparer.Ordinal);
        var proxies = await session.ReadProxiesAsync(cancellationToken);
        var infos = await NodeInfo.ReadAllAsync(members.Nodes.Select(n => n.Address), session.Target.RedisPassword);
        var output = context.Output;
        foreach (var (znode, reason) in members.Rejected)
        {
            output.Warning($"member znode {znode} ignored: {reason}");
        }

        var nodes = members.Nodes.Select(m =>
        {
            var name = m.Address.ToString();
            var liveness = live.GetValueOrDefault(name);
            return new
            {
                address = name,
                state = m.State.ToJson(),
                weight = m.Weight,
                runId = m.RunId,
                reason = m.Reason,
                // A liveness znode of another run_id counts as absent (docs/zookeeper.md).
                live = liveness is not null && liveness.RunId == m.RunId,
                repair = jobs.TryGetValue(name, out var job) ? RepairJobView.Json(job) : null,
                reachable = infos[name].Error is null,
                keys = infos[name].Keys,
                usedMemoryBytes = infos[name].UsedMemoryBytes,
                opsPerSecond = infos[name].OpsPerSecond,
                error = infos[name].Error,
            };
        }).ToList();

        if (output.IsJson)
        {
            output.Json(new
            {
                cluster = session.Layout.Cluster,
                config = new { replicas = session.Config.Replicas, hashTag = session.Config.HashTag, downGraceSeconds = session.Config.DownGraceSeconds },
                nodes,
                proxies,
            });
            return ExitCodes.Ok;
        }

        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"cluster {session.Layout.Cluster}: {nodes.Count} members ({nodes.Count(n => n.state == "up")} up), {session.Config.Replicas} copies per key, hash tag {(session.Config.HashTag.Length == 0 ? "none" : session.Config.HashTag)}"));
        var table = Tables.Create("node", "state", "live", "repair", "keys", "memory", "ops/s", "reason");
        foreach (var n in nodes)
        {
            Tables.Row(table, n.address, n.state, n.live ? "yes" : "no",
                jobs.TryGetValue(n.address, out var job) ? RepairJobView.Short(job) : "-",
                n.error is null ? Format(n.keys) : "unreachable: " + n.error,
                n.usedMemoryBytes is { } bytes ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB" : "-",
                Format(n.opsPerSecond), n.reason);
        }

        output.Table(table);
        output.Line(proxies.Count == 0
            ? $"proxies: none announced under {session.Layout.Proxies}"
            : $"proxies: {proxies.Count} connected: {string.Join(", ", proxies)}");
        return ExitCodes.Ok;
    }

    private static string Format(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
