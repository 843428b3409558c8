namespace RedisRing.Captcha.Hosting;

/// <summary>What the supervisor runs: how many workers, and the arguments each one gets.</summary>
internal sealed record SupervisorOptions(int Workers, IReadOnlyList<string> WorkerArguments)
{
    /// <summary>A worker that exits sooner than this after starting counts as a failed start.</summary>
    public TimeSpan QuickExit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed starts in a row after which the supervisor gives up (bad arguments, port taken).</summary>
    public int MaxQuickExits { get; init; } = 5;

    /// <summary>How long stopping workers get to finish their requests before they are killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
