namespace RedisRing.Proxy.Routing;

/// <summary>A command that is started while its replica set's gate is held.</summary>
internal interface IGatedCommand
{
    /// <summary>
    /// Queues the command to its backends. With <paramref name="deferFlush"/> the caller flushes
    /// the touched backends after its batch; without it (a parked command released later) the
    /// command flushes them itself.
    /// </summary>
    void StartUnderGate(ReplicaSetGate gate, bool deferFlush);
}
