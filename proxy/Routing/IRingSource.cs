namespace RedisRing.Proxy.Routing;

/// <summary>
/// Where the routing table comes from (a static node list or the cluster's membership in
/// ZooKeeper), as INFO reports it. The source installs tables into <see cref="CurrentRoutingTable"/>.
/// </summary>
internal interface IRingSource
{
    /// <summary>True for a static node list: nodes have no membership state of their own.</summary>
    bool IsStatic { get; }

    /// <summary>Writes the source's lines of INFO's ring section (name, value).</summary>
    void WriteInfo(Action<string, object> line);
}
