namespace RedisRing.Registrar.Health;

/// <summary>
/// One health check's outcome. <see cref="Refused"/>: nothing listens at the address (the
/// process is gone), which is certain, unlike a timeout.
/// </summary>
internal sealed record HealthReport(bool Healthy, bool Refused, string RunId, long Keys, string Reason)
{
    public static HealthReport Failed(string reason, bool refused = false) => new(false, refused, string.Empty, 0, reason);
}
