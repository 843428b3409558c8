using RedisRing.Registrar.Health;

namespace RedisRing.Registrar.Admin;

/// <summary>
/// What the registrar's loop last saw (written once per check by <see cref="Registration.NodeRegistrar"/>,
/// read by the admin port): the health report, whether the node's liveness is held, and counts.
/// </summary>
internal sealed class RegistrarStatus
{
    private readonly Lock _sync = new();
    private HealthReport? _last;
    private bool _registered;
    private DateTimeOffset _checkedAt;
    private long _checks;
    private long _failures;
    private double _checkSeconds;

    public void Record(HealthReport report, bool registered, TimeSpan took, DateTimeOffset at)
    {
        lock (_sync)
        {
            _last = report;
            _registered = registered;
            _checkedAt = at;
            _checks++;
            _failures += report.Healthy ? 0 : 1;
            _checkSeconds += took.TotalSeconds;
        }
    }

    public Snapshot Read()
    {
        lock (_sync)
        {
            return new Snapshot(_last, _registered, _checkedAt, _checks, _failures, _checkSeconds);
        }
    }

    /// <param name="Last">The last health report; null before the first check.</param>
    /// <param name="Registered">Whether the registrar holds the node's liveness znode.</param>
    public sealed record Snapshot(HealthReport? Last, bool Registered, DateTimeOffset CheckedAt, long Checks, long Failures, double CheckSeconds);
}
