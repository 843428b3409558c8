using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.ZooKeeper;
using Spectre.Console;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// <c>redisring-registrar repair-status --zookeeper ... --cluster ... --zk-auth ... [--follow] [--timeout-s N]</c>:
/// the warm-up jobs under <c>repair/jobs/</c> (phase, keys copied of the estimate, rate, ETA, the
/// repairing proxy, what it waits for). With <c>--follow</c> a live progress bar per job (plain
/// lines when the output is not a terminal) until every job is done or ready for promotion.
/// Exit 0 then (or at once without <c>--follow</c>), 1 when the timeout ran out first, 2 on bad options.
/// </summary>
internal static class RepairStatusCommand
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var args = new Arguments(argv, Environment.GetEnvironmentVariable);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--follow", "--timeout-s");
        var common = CommonOptions.From(args);
        var follow = args.Flag("--follow");
        var timeout = TimeSpan.FromSeconds(args.Integer("--timeout-s", 3600, 1, 7 * 24 * 3600));
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        await using var client = await ZooKeeperConnection.ConnectAsync(common.ZooKeeper, TimeSpan.FromSeconds(10), common.ClusterCredential, loggerFactory, logger, stop);
        if (!follow)
        {
            var jobs = await RepairJobStore.ReadAllAsync(client, common.Layout, stop);
            await Console.Out.WriteLineAsync(jobs.Count == 0 ? "no warm-up job" : string.Join("\n", jobs.Select(Describe)));
            return 0;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        try
        {
            return AnsiConsole.Profile.Capabilities.Interactive
                ? await FollowWithBarsAsync(client, common.Layout, deadline.Token)
                : await FollowWithLinesAsync(client, common.Layout, deadline.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"redisring-registrar: warm-ups still running after {timeout.TotalSeconds:0} s");
            return 1;
        }
    }

    private static async Task<int> FollowWithBarsAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken token)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (true)
                {
                    var jobs = await RepairJobStore.ReadAllAsync(client, layout, token);
                    foreach (var job in jobs)
                    {
                        var name = job.Node.ToString();
                        if (!bars.TryGetValue(name, out var bar))
                        {
                            bars[name] = bar = context.AddTask(name);
                        }

                        bar.Description = $"{name} {RepairJob.ToJson(job.Phase)}";
                        bar.MaxValue = Math.Max(job.Estimated, 1);
                        bar.Value = Finished(job) ? bar.MaxValue : job.Copied;
                        if (Finished(job))
                        {
                            bar.StopTask();
                        }
                    }

                    if (jobs.All(Finished))
                    {
                        return;
                    }

                    await Task.Delay(s_refresh, token);
                }
            });
        foreach (var job in await RepairJobStore.ReadAllAsync(client, layout, token))
        {
            await Console.Out.WriteLineAsync(Describe(job));
        }

        return 0;
    }

    private static async Task<int> FollowWithLinesAsync(ZooKeeperClient client, ClusterLayout layout, CancellationToken token)
    {
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastPrint = DateTime.MinValue;
        while (true)
        {
            var jobs = await RepairJobStore.ReadAllAsync(client, layout, token);
            foreach (var job in jobs)
            {
                // One line per job when its phase changes, else every 2 s.
                var line = Describe(job);
                var phase = RepairJob.ToJson(job.Phase) + job.Generation;
                if (!printed.TryGetValue(job.Node.ToString(), out var seen) || seen != phase || DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(2))
                {
                    await Console.Out.WriteLineAsync(line);
                    printed[job.Node.ToString()] = phase;
                }
            }

            if (DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(2))
            {
                lastPrint = DateTime.UtcNow;
            }

            if (jobs.All(Finished))
            {
                await Console.Out.WriteLineAsync(jobs.Count == 0 ? "no warm-up job" : "every warm-up is complete");
                return 0;
            }

            await Task.Delay(s_refresh, token);
        }
    }

    private static bool Finished(RepairJob job) => job.Phase is RepairPhase.Done or RepairPhase.Ready;

    private static string Describe(RepairJob job)
    {
        var percent = job.Estimated > 0 ? Math.Min(100.0, 100.0 * job.Copied / job.Estimated) : Finished(job) ? 100 : 0;
        var eta = job.Phase == RepairPhase.Copying && job.KeysPerSecond > 0
            ? string.Create(CultureInfo.InvariantCulture, $", ETA {Math.Max(job.Estimated - job.Copied, 0) / job.KeysPerSecond:0} s")
            : string.Empty;
        var note = job.Note.Length > 0 ? "; " + job.Note : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{job.Node} {RepairJob.ToJson(job.Phase)} (generation {job.Generation}, run_id {job.RunId}): {job.Copied} of ~{job.Estimated} keys ({percent:0}%), {job.Bytes / 1e6:0.0} MB, {job.KeysPerSecond:0} keys/s{eta}; repairer {job.Repairer}{note}");
    }
}
