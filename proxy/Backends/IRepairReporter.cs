namespace RedisRing.Proxy.Backends;

/// <summary>
/// Where a node's "needs repair" verdict goes beyond this proxy: with ZooKeeper membership the
/// member becomes <c>joining</c>, so every proxy, and this one after a restart, stops reading it.
/// </summary>
internal interface IRepairReporter
{
    /// <summary>Called once per verdict, on the thread that reached it; must not block.</summary>
    void Report(BackendNode node, string reason);
}
