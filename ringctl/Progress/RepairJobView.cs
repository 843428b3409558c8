using System.Globalization;
using RedisRing.Membership;

namespace RedisRing.Ringctl.Progress;

/// <summary>A warm-up or drain job as operators read it: phase, keys copied of the estimate, rate, ETA.</summary>
internal static class RepairJobView
{
    public static bool Finished(RepairJob job) => job.Phase is RepairPhase.Done or RepairPhase.Ready;

    public static double Percent(RepairJob job) =>
        job.Estimated > 0 ? Math.Min(100.0, 100.0 * job.Copied / job.Estimated) : Finished(job) ? 100 : 0;

    /// <summary>Seconds left at the current rate while copying; null when not known.</summary>
    public static double? EtaSeconds(RepairJob job) =>
        job.Phase == RepairPhase.Copying && job.KeysPerSecond > 0 ? Math.Max(job.Estimated - job.Copied, 0) / job.KeysPerSecond : null;

    public static string Short(RepairJob job) =>
        string.Create(CultureInfo.InvariantCulture, $"{RepairJob.ToJson(job.Phase)} {Percent(job):0}%{(EtaSeconds(job) is { } eta ? $" ETA {eta:0} s" : string.Empty)}");

    /// <summary>One line per job (the registrar's repair-status printed the same).</summary>
    public static string Describe(RepairJob job)
    {
        var eta = EtaSeconds(job) is { } seconds ? string.Create(CultureInfo.InvariantCulture, $", ETA {seconds:0} s") : string.Empty;
        var note = job.Note.Length > 0 ? "; " + job.Note : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{job.Node} {RepairJob.ToJson(job.Phase)} (generation {job.Generation}, run_id {job.RunId}): {job.Copied} of ~{job.Estimated} keys ({Percent(job):0}%), {job.Bytes / 1e6:0.0} MB, {job.KeysPerSecond:0} keys/s{eta}; repairer {job.Repairer}{note}");
    }

    public static object Json(RepairJob job) => new
    {
        node = job.Node.ToString(),
        phase = RepairJob.ToJson(job.Phase),
        generation = job.Generation,
        runId = job.RunId,
        copied = job.Copied,
        estimated = job.Estimated,
        percent = Math.Round(Percent(job), 1),
        bytes = job.Bytes,
        keysPerSecond = job.KeysPerSecond,
        etaSeconds = EtaSeconds(job) is { } eta ? Math.Round(eta, 1) : (double?)null,
        repairer = job.Repairer,
        note = job.Note,
    };
}
