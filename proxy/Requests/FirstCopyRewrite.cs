namespace RedisRing.Proxy.Requests;

/// <summary>
/// Commands whose effect depends on the node that runs them: they run on the first readable copy,
/// and the other copies get an explicit command made from its reply, so every copy ends equal
/// (docs/consistency.md, "Deterministic copies").
/// </summary>
internal enum FirstCopyRewrite
{
    /// <summary>SPOP picks random members: the others get SREM of the members popped.</summary>
    SpopMembers,

    /// <summary>XADD with the ID <c>*</c> takes the node's clock: the others get the same XADD with the ID it chose.</summary>
    XaddId,

    /// <summary>
    /// XCLAIM and XAUTOCLAIM choose entries by idle time, which each copy measures from its own
    /// delivery times: the others get XCLAIM of exactly the IDs claimed (minimum idle 0).
    /// </summary>
    ClaimIds,
}
