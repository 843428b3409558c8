using System.CommandLine;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Progress;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl repair-status [--follow] [--timeout-s N]</c>: the warm-up and drain jobs under
/// <c>repair/jobs/</c> (phase, keys copied of the estimate, rate, ETA, the repairing proxy, what it
/// waits for); with <c>--follow</c>, live until every job is done or ready for promotion.
/// </summary>
internal static class RepairStatusCommand
{
    public static Command Create(CommandFactory factory)
    {
        var follow = new Option<bool>("--follow") { Description = "live progress until every warm-up is complete" };
        var timeout = NodeArguments.TimeoutSeconds(3600);
        return factory.Create("repair-status", "warm-up and drain jobs: phase, progress, rate, ETA", async (context, cancellationToken) =>
        {
            await using var session = await context.OpenAsync(cancellationToken);
            var output = context.Output;
            if (context.Value(follow))
            {
                await RepairFollower.FollowAsync(session, output, _ => true, (jobs, _) => Task.FromResult(jobs.All(RepairJobView.Finished)),
                    TimeSpan.FromSeconds(context.Value(timeout)), "warm-ups still running", cancellationToken);
            }

            var jobs = await session.ReadRepairJobsAsync(cancellationToken);
            if (output.IsJson)
            {
                output.Json(new { cluster = session.Layout.Cluster, jobs = jobs.Select(RepairJobView.Json) });
                return ExitCodes.Ok;
            }

            foreach (var job in jobs)
            {
                output.Line(RepairJobView.Describe(job));
            }

            output.Line(jobs.Count == 0 ? "no warm-up job" : jobs.All(RepairJobView.Finished) ? "every warm-up is complete" : $"{jobs.Count(j => !RepairJobView.Finished(j))} jobs running");
            return ExitCodes.Ok;
        }, follow, timeout);
    }
}
