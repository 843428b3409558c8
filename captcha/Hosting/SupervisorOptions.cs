namespace RedisRing.Captcha.Hosting;

/// <summary>What the supervisor runs: how many workers, and the arguments each one gets.</summary>
internal sealed record SupervisorOptions(int Workers, IReadOnlyList<string> WorkerArguments)
{
    /// <summary>A worker that exits sooner than this after starting counts as a failed start.</summary>
    public TimeSpan QuickExit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed starts in a row after which the supervisor gives up (bad arguments, port taken).</summary>
    public int MaxQuickExits { get; init; } = 5;

    /// <summary>How often each worker sends a heartbeat over its standard error.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A worker whose heartbeats stop for this long is hung (stopped, frozen, deadlocked): it is
    /// killed with SIGKILL and replaced. Zero: no heartbeats, a worker is only replaced when it exits.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The same for a worker starting up, before its first heartbeat (start-up on a busy host takes seconds).</summary>
    public TimeSpan FirstHeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long stopping workers get to finish their requests before they are killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
