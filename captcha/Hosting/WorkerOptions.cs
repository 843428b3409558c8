namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The "Worker" configuration section, set by the supervisor on the command line of each worker it
/// starts (<c>--Worker:Index 2</c>). Absent in a single process (<c>--workers 0</c>, tests).
/// </summary>
internal sealed class WorkerOptions
{
    /// <summary>The worker's slot, 0..N-1; the supervisor restarts a dead worker in the same slot.</summary>
    public int? Index { get; set; }

    /// <summary>How often to send the supervisor a heartbeat, in ms; 0: none (the supervisor does not watch for one).</summary>
    public int HeartbeatMs { get; set; }

    public bool IsWorker => Index is not null;
}
