namespace RedisRing.Proxy.Repair;

/// <summary>A repair step that cannot go on now (a source went away, leadership was lost); the repairer tries again from the checkpoint.</summary>
internal sealed class RepairException(string message) : Exception(message);
