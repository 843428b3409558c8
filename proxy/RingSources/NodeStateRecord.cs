namespace RedisRing.Proxy.RingSources;

/// <summary>One node in the <see cref="StaticNodeStateFile"/>: the run_id its data belongs to and whether it needs a repair (and why).</summary>
internal sealed record NodeStateRecord(string RunId, bool NeedsRepair, string Reason);
