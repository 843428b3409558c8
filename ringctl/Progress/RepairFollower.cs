using RedisRing.Membership;
using RedisRing.Ringctl.Cluster;
using RedisRing.Ringctl.Output;
using Spectre.Console;

namespace RedisRing.Ringctl.Progress;

/// <summary>
/// Follows warm-up and drain jobs under <c>repair/jobs/</c> until a condition holds: a live
/// progress bar per job with its ETA on a terminal, one line per job on a phase change (else
/// every 2 s) in a pipe, nothing in JSON mode. Bounded by a timeout (exit 7).
/// </summary>
internal static class RepairFollower
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_lineInterval = TimeSpan.FromSeconds(2);

    /// <param name="include">Which jobs to show.</param>
    /// <param name="done">Whether the wait is over, given the jobs read this round.</param>
    /// <param name="what">What is awaited, for the timeout message.</param>
    public static async Task FollowAsync(ClusterSession session, CommandOutput output, Func<RepairJob, bool> include,
        Func<IReadOnlyList<RepairJob>, CancellationToken, Task<bool>> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (output.Interactive)
            {
                await WithBarsAsync(session, output, include, done, deadline.Token);
            }
            else
            {
                await WithLinesAsync(session, output, include, done, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RingctlException(ExitCodes.Timeout, $"{what} after {timeout.TotalSeconds:0} s (--timeout-s)");
        }
    }

    private static async Task WithBarsAsync(ClusterSession session, CommandOutput output, Func<RepairJob, bool> include,
        Func<IReadOnlyList<RepairJob>, CancellationToken, Task<bool>> done, CancellationToken token)
    {
        await output.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (true)
                {
                    var jobs = (await session.ReadRepairJobsAsync(token)).Where(include).ToList();
                    foreach (var job in jobs)
                    {
                        var name = job.Node.ToString();
                        if (!bars.TryGetValue(name, out var bar))
                        {
                            bars[name] = bar = progress.AddTask(Markup.Escape(name));
                        }

                        bar.Description = Markup.Escape($"{name} {RepairJob.ToJson(job.Phase)}");
                        bar.MaxValue = Math.Max(job.Estimated, 1);
                        bar.Value = RepairJobView.Finished(job) ? bar.MaxValue : Math.Min(job.Copied, bar.MaxValue);
                    }

                    if (await done(jobs, token))
                    {
                        foreach (var bar in bars.Values)
                        {
                            bar.Value = bar.MaxValue;
                            bar.StopTask();
                        }

                        return;
                    }

                    await Task.Delay(s_refresh, token);
                }
            });
    }

    private static async Task WithLinesAsync(ClusterSession session, CommandOutput output, Func<RepairJob, bool> include,
        Func<IReadOnlyList<RepairJob>, CancellationToken, Task<bool>> done, CancellationToken token)
    {
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastRound = DateTime.MinValue;
        while (true)
        {
            var jobs = (await session.ReadRepairJobsAsync(token)).Where(include).ToList();
            var periodic = DateTime.UtcNow - lastRound > s_lineInterval;
            if (periodic)
            {
                lastRound = DateTime.UtcNow;
            }

            foreach (var job in jobs)
            {
                var phase = RepairJob.ToJson(job.Phase) + job.Generation;
                if (!printed.TryGetValue(job.Node.ToString(), out var seen) || seen != phase || periodic)
                {
                    output.Line(RepairJobView.Describe(job));
                    printed[job.Node.ToString()] = phase;
                }
            }

            if (await done(jobs, token))
            {
                return;
            }

            if (jobs.Count == 0 && periodic)
            {
                output.Line("waiting for the repairer (an elected proxy) to start the job");
            }

            await Task.Delay(s_refresh, token);
        }
    }
}
