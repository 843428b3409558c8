namespace RedisRing.Proxy.Configuration;

/// <summary>What a proxy does as a repairer candidate. Every proxy tracks and drains its own writes whatever the mode.</summary>
internal enum RepairMode
{
    /// <summary>May lead; promotes a node once its warm-up is complete.</summary>
    Auto,

    /// <summary>May lead; leaves a warmed-up node joining (phase <c>ready</c>) for an operator to promote.</summary>
    Manual,

    /// <summary>Never leads a warm-up.</summary>
    Off,
}
